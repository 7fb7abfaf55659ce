"""The merchant's page that approval creates: under the city's directory, with a free slug and
a position from the geocoder, the district's centre or the city map's centre, and the offers
ticked at registration prepared on its draft."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.text import german_slugify
from pages.models import CitySettings

from .. import geo, offer_flags
from ..models import DirectoryPage, MerchantPage, Registration
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


# What a registration's offer checkboxes ask for, as offer-flag keys (directory/offer_flags.py).
WANTED_OFFERS = {
    "wants_vouchers": "voucher",
    "wants_donations": "donation",
    "wants_campaign": "campaign",
}


def prepare_offers(page: MerchantPage, registration: Registration, user) -> bool:
    """The offers ticked at registration, prepared by the apps that own them on the merchant's
    latest draft and saved as a new draft revision: nothing goes online before the editors
    approve the page. True if a revision was saved."""
    keys = [key for field, key in WANTED_OFFERS.items() if getattr(registration, field)]
    if not keys:
        return False
    draft = page.get_latest_revision_as_object()
    if not offer_flags.prepare(draft, keys):
        return False
    revision = draft.save_revision(user=user, log_action=False)
    page.latest_revision, page.has_unpublished_changes = revision, True  # as saved by the draft
    return True


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
    city = CitySettings.for_site(registration.site)
    return city.latitude, city.longitude


def position_is_approximate(page: MerchantPage) -> bool:
    """True while the marker still sits where approval put it without a geocoder."""
    if page.latitude is None:
        return True
    district = page.district
    if district and (district.latitude, district.longitude) == (page.latitude, page.longitude):
        return True
    city = CitySettings.for_site(page.get_site())
    return (city.latitude, city.longitude) == (page.latitude, page.longitude)


def _free_slug(directory: DirectoryPage, name: str) -> str:
    base = german_slugify(name)[:70] or "betrieb"
    taken = set(
        directory.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
