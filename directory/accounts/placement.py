"""The merchant's page that approval creates: under the city's directory, with a free slug and
a position from the geocoder, the district's centre or the city map's centre."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.text import german_slugify

from .. import geo
from ..models import DirectoryPage, MapSettings, MerchantPage, Registration
from .errors import DecisionError


def directory_of(site) -> DirectoryPage:
    directory = DirectoryPage.objects.descendant_of(site.root_page).first()
    if directory is None:
        raise DecisionError(_("This city has no merchant directory yet."))
    return directory


def create_page(registration: Registration, owner) -> MerchantPage:
    """A draft page filled from the registration, under the city's directory."""
    directory = directory_of(registration.site)
    latitude, longitude = locate(registration)
    page = MerchantPage(
        title=registration.business_name,
        slug=_free_slug(directory, registration.business_name),
        category=registration.category,
        district=registration.district,
        street=registration.street,
        postcode=registration.postcode,
        city=registration.city,  # contact details stay private until the merchant adds them
        location=geo.format_point(latitude, longitude) if latitude is not None else "",
        live=False,
        owner=owner,
    )
    directory.add_child(instance=page)
    page.save_revision(user=owner, log_action=False)
    return page


def locate(registration: Registration):
    """Position from the configured geocoder; else the district's centre, else the city map's
    centre (the merchant is asked to set the marker)."""
    if settings.MERCHANT_GEOCODER:
        found = import_string(settings.MERCHANT_GEOCODER)(registration.address_line)
        if found:
            return found
    district = registration.district
    if district and district.latitude is not None:
        return district.latitude, district.longitude
    map_settings = MapSettings.for_site(registration.site)
    return map_settings.latitude, map_settings.longitude


def position_is_approximate(page: MerchantPage) -> bool:
    """True while the marker still sits where approval put it without a geocoder."""
    if page.latitude is None:
        return True
    district = page.district
    if district and (district.latitude, district.longitude) == (page.latitude, page.longitude):
        return True
    map_settings = MapSettings.for_site(page.get_site())
    return (map_settings.latitude, map_settings.longitude) == (page.latitude, page.longitude)


def _free_slug(directory: DirectoryPage, name: str) -> str:
    base = german_slugify(name)[:70] or "betrieb"
    taken = set(
        directory.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
