"""The admin as the city's portal: its name in the login, the browser tab and the sidebar."""

from django import template
from django.conf import settings
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_name(context) -> str:
    """The name residents know the portal by (the city's home page title, as in the site's
    header), else WAGTAIL_SITE_NAME."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    title = site.root_page.title if site else ""
    return title or settings.WAGTAIL_SITE_NAME
