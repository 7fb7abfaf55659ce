"""Absolute addresses for what leaves the site: mails, PDFs, feeds built outside a request.

There is one source: the configured public base URL (`PORTAL_BASE_URL`, e.g.
`https://dortmund-hilft.de`). A Wagtail site's own `root_url` is no use here: the seeded site
is `localhost` on port 80, and behind a proxy the site's port is not the one people reach.

With several cities, the default site lives at `PORTAL_BASE_URL`; every other city's site is
reached by its own host name, with the base URL's scheme (and no port: cities other than the
default one are served on the standard ports).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def base_url(site=None) -> str:
    """The public base URL, without a trailing slash, of `site` (a Wagtail Site) or the
    default site."""
    configured = settings.PORTAL_BASE_URL.rstrip("/")
    if site is None or getattr(site, "is_default_site", True):
        return configured
    hostname = (getattr(site, "hostname", "") or "").strip()
    parts = urlsplit(configured)
    if not hostname or hostname == parts.hostname:
        return configured
    return f"{parts.scheme or 'https'}://{hostname}"


def absolute_url(path: str, *, site=None) -> str:
    """`path` (a site-relative address such as `/gutschein/guthaben/`) as an absolute URL.

    An address that already has a scheme (a media host, a CDN) is returned as it is.
    """
    if not path:
        return base_url(site) + "/"
    if urlsplit(path).scheme:
        return path
    if not path.startswith("/"):
        path = "/" + path
    return base_url(site) + path


def page_url(page) -> str:
    """A Wagtail page's absolute URL, or "" when the page is not routable (unpublished, outside
    every site)."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    site_id, _root_url, page_path = parts
    if page_path is None:
        return ""
    return absolute_url(page_path, site=Site.objects.filter(pk=site_id).first())
