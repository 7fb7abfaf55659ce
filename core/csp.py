"""The Content-Security-Policy (django-csp), with the sources settings name added per request.

The site's policy (CONTENT_SECURITY_POLICY in settings) allows only the site itself, a nonce
for the one inline <style> (the city's colours), and, read from settings here so that test and
deployment settings are followed: the map tiles' host (MAP_TILE_URL) and Stripe.js with its
frames and API (STRIPE_JS_URL, STRIPE_API_BASE: localstripe in tests). Wagtail's admin needs
inline scripts and styles; it gets the looser PORTAL_ADMIN_CONTENT_SECURITY_POLICY.

The city's own sources (SOURCE_PROVIDERS) are read from the database: an error page (500, the
503 of core/dbdown.py) never asks for them, since the database may be what failed, and a
provider whose query fails leaves the policy without its sources instead of turning the
response into a 500 without any policy.
"""

import base64
import hashlib
import logging
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
STRIPE_FRAMES = ["https://js.stripe.com", "https://hooks.stripe.com"]
STRIPE_API = ["https://api.stripe.com"]


def origin(url: str) -> list[str]:
    """[scheme://host[:port]] of `url`, or [] for an empty or relative one."""
    parts = urlsplit(url or "")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def allow_inline_style(request, css: str) -> None:
    """Let this response's policy allow an inline <style> with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    hashes = getattr(request, "_csp_style_hashes", [])
    request._csp_style_hashes = [*hashes, f"'sha256-{digest}'"]


# Apps that show content from hosts only they know (a city's own map tiles) add a function
# request -> {directive: [sources]} here, in their AppConfig.ready(): core imports no app.
SOURCE_PROVIDERS = []


def register_sources(provider):
    if provider not in SOURCE_PROVIDERS:
        SOURCE_PROVIDERS.append(provider)
    return provider


def provided_sources(request, response) -> dict[str, list[str]]:
    """What the registered providers add: for documents only (feeds stay cheap), and never for
    an error page, which must not wait for a database that may be down."""
    if response.status_code >= 500 or not response.get("Content-Type", "").startswith("text/html"):
        return {}
    update: dict[str, list[str]] = {}
    for provider in SOURCE_PROVIDERS:
        try:
            provided = provider(request)
        except DatabaseError as error:
            logger.warning("Policy without %s's sources: %s", provider.__name__, error)
            continue
        for directive, sources in provided.items():
            update[directive] = [*update.get(directive, []), *sources]
    return update


def configured_sources() -> dict[str, list[str]]:
    tiles = origin(settings.MAP_TILE_URL.replace("{s}", "*"))  # {s}: tile servers a, b, c
    stripe_js = origin(getattr(settings, "STRIPE_JS_URL", ""))
    stripe_api = origin(getattr(settings, "STRIPE_API_BASE", "")) or STRIPE_API
    return {
        "img-src": tiles,
        "script-src": stripe_js,
        "frame-src": [*STRIPE_FRAMES, *stripe_js],
        "connect-src": [*stripe_api, *stripe_js],
    }


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = default_config(
                settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        update = configured_sources()
        for directive, sources in provided_sources(request, response).items():
            update[directive] = [*update.get(directive, []), *sources]
        update["style-src"] = getattr(request, "_csp_style_hashes", [])
        for directive, sources in (parts.update or {}).items():
            update[directive] = [*update.get(directive, []), *sources]
        parts.update = update
        return parts
