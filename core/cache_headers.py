"""Anonymous pages that a front cache may hold: `Cache-Control: public` and an ETag.

For a GET or HEAD answered 200 to a visitor who is not logged in and sends no session cookie,
when the response sets no cookie and says nothing about caching itself, this adds
`Cache-Control: public, max-age=PAGE_CACHE_SECONDS` (60 unless set), `Vary: Cookie` (the
language cookie changes the page) and an ETag of the body, and answers 304 to a matching
If-None-Match. Pages with a form that needs a CSRF token set the `csrftoken` cookie and so stay
private; so do the admin and the JSON API (which sets its own headers). Listed before the
session and CSRF middleware, so that it sees the cookies they add.

With PAGE_CACHE_SERVER on, the process is its own front cache as well: such a public response
is kept in the shared cache for PAGE_CACHE_SECONDS and answers the next anonymous request for
the same host, path, query and language without running the view. Keys carry a token that
publishing, unpublishing, moving or deleting any page replaces (invalidate(), connected in
pages/apps.py), so a published change shows at once; anything else (a snippet, an offer, a
total) shows within PAGE_CACHE_SECONDS, as it would behind any front cache.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/api/")
GENERATION_KEY = "page-cache:generation"


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def invalidate(**kwargs) -> None:
    """Make every server-side cached page stale (a signal receiver: takes any arguments)."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def may_be_public(request) -> bool:
    """What the request alone tells: an anonymous GET or HEAD of a public page."""
    if request.method not in ("GET", "HEAD") or request.path_info.startswith(SKIPPED_PREFIXES):
        return False
    # A session or a messages cookie holds what this visitor sees (a login, a notice, a basket).
    personal = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGE_COOKIE_NAME", "messages"))
    if any(name in request.COOKIES for name in personal):
        return False
    return not request.META.get("HTTP_AUTHORIZATION")


def is_public(request, response) -> bool:
    if not may_be_public(request) or response.status_code != 200:
        return False
    if response.streaming or response.cookies or response.has_header("Cache-Control"):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _server_key(request) -> str:
    generation = cache.get_or_set(GENERATION_KEY, lambda: secrets.token_hex(8), timeout=None)
    parts = (
        generation,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )
    return "page-cache:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _from_server_cache(request):
    key = _server_key(request)
    stored = cache.get(key)
    if stored is None:
        return key, None
    headers, content = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return key, response


class PublicCacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        server_side = getattr(settings, "PAGE_CACHE_SERVER", False) and may_be_public(request)
        if server_side:
            key, cached = _from_server_cache(request)
            if cached is not None:
                return get_conditional_response(request, etag=cached["ETag"], response=cached)
        response = self.get_response(request)
        if not is_public(request, response):
            return response
        patch_cache_control(response, public=True, max_age=page_cache_seconds())
        patch_vary_headers(response, ("Cookie",))
        if not response.has_header("ETag"):
            set_response_etag(response)
        if server_side:
            cache.set(key, (list(response.items()), response.content), page_cache_seconds())
        return get_conditional_response(request, etag=response["ETag"], response=response)
