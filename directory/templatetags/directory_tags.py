"""Template tags of the directory: what other apps contribute to merchant lists and pages."""

from django import template
from django.utils.formats import number_format
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@register.filter
def distance(metres):
    """{{ merchant.distance|distance }}: "350 m" below a kilometre, else "1,2 km" (localised)."""
    if metres is None:
        return ""
    if metres < 995:
        return f"{max(10, round(metres / 10) * 10)} m"
    return f"{number_format(round(metres / 1000, 1), 1)} km"


@register.simple_tag
def map_labels():
    """{% map_labels %}: the map script's words in the visitor's language, as a JSON script
    element (no inline script, for the CSP). Counted phrases come as [one, other]: German and
    English know no other plural forms; {count} is filled in by the script."""
    labels = {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "closePopup": _("Close popup"),
        "more": _("More about this merchant"),
        "here": _("You are here"),
        "mapError": _("The map could not be loaded. The list shows all merchants."),
        "listError": _("The list could not be updated. Please reload the page."),
        "locating": _("Finding your location …"),
        "nearSorted": _("The list is sorted by distance from your location."),
        "nearDenied": _(
            "You did not allow this page to use your location. The list stays sorted by name."
        ),
        "nearUnavailable": _(
            "Your location is not available right now. The list stays sorted by name."
        ),
        # Written out so that makemessages finds them (it cannot see through a helper).
        "found": [
            ngettext("{count} merchant on the map", "{count} merchants on the map", n)
            for n in (1, 2)
        ],
        "inArea": [
            ngettext("{count} merchant in this area", "{count} merchants in this area", n)
            for n in (1, 2)
        ],
        "cluster": [
            ngettext("Group of {count} merchant", "Group of {count} merchants", n) for n in (1, 2)
        ],
    }
    return json_script(labels, "map-labels")


@register.inclusion_tag("directory/includes/source_attribution.html")
def source_attribution(page):
    """{% source_attribution page %}: where an imported merchant's data comes from, with the
    source's licence (OpenStreetMap's ODbL asks for the attribution)."""
    from ..models import MerchantSourceRecord

    records = MerchantSourceRecord.objects.filter(merchant=page, created=True).select_related(
        "source"
    )
    return {"sources": [record.source for record in records]}
