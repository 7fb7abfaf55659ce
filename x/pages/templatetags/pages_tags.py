"""Template tags of the editorial pages: what other apps contribute to them."""

from django import template

from core.panels import render_panels

from ..hooks import HOME_PAGE_PANELS

register = template.Library()


@register.simple_tag(takes_context=True)
def home_page_panels(context, page):
    """{% home_page_panels page %}: the panels other apps register for the home page (the
    home_page_panels hook, see pages/hooks.py)."""
    return render_panels(HOME_PAGE_PANELS, page, context.get("request"), context.flatten())
