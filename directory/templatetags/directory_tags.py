"""Template tags of the directory: what other apps contribute to merchant lists and pages."""

from django import template

from core.panels import render_panels

from .. import offer_flags
from ..hooks import MERCHANT_PAGE_PANELS

register = template.Library()


@register.inclusion_tag("directory/includes/offer_badges.html")
def offer_badges(merchant):
    """{% offer_badges merchant %}: a badge per offer flag the merchant has (vouchers...)."""
    return {"badges": offer_flags.badges_of(merchant)}


@register.simple_tag(takes_context=True)
def merchant_page_panels(context, page):
    """{% merchant_page_panels page %}: the panels other apps register for a merchant's page
    (the merchant_page_panels hook, see directory/hooks.py)."""
    return render_panels(MERCHANT_PAGE_PANELS, page, context.get("request"), context.flatten())
