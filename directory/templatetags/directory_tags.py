"""Template tags of the directory: what other apps contribute to merchant lists and pages."""

from django import template

from .. import offer_flags

register = template.Library()


@register.inclusion_tag("directory/includes/offer_badges.html")
def offer_badges(merchant):
    """{% offer_badges merchant %}: a badge per offer flag the merchant has (vouchers...)."""
    return {"badges": offer_flags.badges_of(merchant)}
