"""Template tags for the site chrome: navigation, the site's home, sharing metadata, theme."""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page, Site

register = template.Library()

DEFAULT_BRAND = "#b3261e"
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
DESCRIPTION_LENGTH = 200


@register.simple_tag(takes_context=True)
def site_root(context):
    """The root page of the request's site (the city's home page), or None."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.inclusion_tag("pages/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Live, public children of the site's root page that are marked "show in menus"."""
    root = site_root(context)
    current_path = getattr(context.get("page"), "url_path", "") or ""
    items = root.get_children().live().public().in_menu() if root else Page.objects.none()

    def aria_current(item):  # aria-current: "page" for the page itself, "true" for its section
        if current_path == item.url_path:
            return "page"
        return "true" if current_path.startswith(item.url_path) else ""

    return {
        "items": [(item, aria_current(item)) for item in items],
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def share_description(context, page=None):
    """Plain text for the meta description and Open Graph.

    The page's SEO text, else its teaser, introduction or hero text (rich text is stripped of
    its markup), shortened to about 200 characters.
    """
    page = page or context.get("page")
    if page is None:
        return ""
    for attribute in ("search_description", "teaser", "intro", "hero_text"):
        value = getattr(page, attribute, "")
        if value and isinstance(value, str):
            text = " ".join(strip_tags(value).split())
            if text:
                return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


@register.simple_tag
def share_image(page):
    """The page's hero image, if it has one, for Open Graph."""
    return getattr(page, "hero_image", None)


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None):
    """The page's own address without query parameters (filters and paging are variations)."""
    request = context.get("request")
    page = page or context.get("page")
    if request is None:
        return page.get_full_url() if page is not None and hasattr(page, "get_full_url") else ""
    url = page.get_url(request) if page is not None and hasattr(page, "get_url") else None
    return request.build_absolute_uri(url or request.path)


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """An absolute address for `url` (rendition URLs may be relative or on a media host)."""
    request = context.get("request")
    if not url or urlsplit(url).scheme or request is None:
        return url or ""
    return request.build_absolute_uri(url)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@register.simple_tag
def theme_colours(colour):
    """The city's primary colour, checked, with text colours that keep WCAG AA contrast.

    Returns brand (the colour itself, or the default if it is not a hex colour), on_brand (white
    or near-black text on the brand colour) and brand_text (the brand colour darkened until it
    reads on white, for links and headings).
    """
    colour = (colour or "").strip()
    if not HEX_COLOUR.match(colour):
        colour = DEFAULT_BRAND
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    rgb = tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))
    white, ink = (255, 255, 255), (27, 27, 31)
    on_brand = white if _contrast(rgb, white) >= _contrast(rgb, ink) else ink
    text = rgb
    while _contrast(text, white) < 4.5:
        text = tuple(int(v * 0.9) for v in text)
    return {"brand": _hex(rgb), "on_brand": _hex(on_brand), "brand_text": _hex(text)}


@register.filter
def tel_href(number):
    """A phone number as written ("0231 / 82 52-68") turned into a tel: target."""
    # "+49 (0)231 ...": the bracketed 0 is only dialled from inside the country.
    number = str(number or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.startswith("+") else digits


@register.filter
def display_url(url):
    """A web address for reading: without scheme, "www." and a trailing slash."""
    url = str(url or "")
    url = re.sub(r"^https?://", "", url)
    url = re.sub(r"^www\.", "", url)
    return url.rstrip("/")
