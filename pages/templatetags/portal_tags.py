"""Template tags for the site chrome: navigation, the site's home and sharing metadata."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.specific if site else None


@register.inclusion_tag("pages/includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    root = site_root(context)
    current = context.get("page")
    items = root.get_children().live().public().in_menu() if root else Page.objects.none()
    return {
        "items": items,
        "current_path": current.url_path if current else "",
        "request": request,
    }


@register.simple_tag(takes_context=True)
def share_description(context, page=None):
    """The text for meta description and Open Graph: SEO text, teaser or intro, in that order."""
    page = page or context.get("page")
    if page is None:
        return ""
    for attribute in ("search_description", "teaser", "intro", "hero_text"):
        value = getattr(page, attribute, "")
        if value and isinstance(value, str):
            return value
    return ""


@register.simple_tag
def share_image(page):
    """The page's hero image, if it has one, for Open Graph."""
    return getattr(page, "hero_image", None)
