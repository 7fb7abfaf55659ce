"""Anonymous pages that a front cache may hold: `Cache-Control: public` and an ETag.

For a GET or HEAD answered 200 to a visitor who is not logged in and sends no session cookie,
when the response sets no cookie and says nothing about caching itself, this adds
`Cache-Control: public, max-age=PAGE_CACHE_SECONDS` (60 unless set), `Vary: Cookie` (the
language cookie changes the page) and an ETag of the body, and answers 304 to a matching
If-None-Match. Pages with a form that needs a CSRF token set the `csrftoken` cookie and so stay
private; so do the admin and the JSON API (which sets its own headers). Listed before the
session and CSRF middleware, so that it sees the cookies they add.
"""

from django.conf import settings
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/api/")


def page_cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 60))


def is_public(request, response) -> bool:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if response.streaming or response.cookies or response.has_header("Cache-Control"):
        return False
    if request.path_info.startswith(SKIPPED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # a session may hold what this visitor sees (messages, a basket)
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PublicCacheHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_public(request, response):
            return response
        patch_cache_control(response, public=True, max_age=page_cache_seconds())
        patch_vary_headers(response, ("Cookie",))
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)
