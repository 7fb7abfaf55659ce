"""The centre of a city's map, in one place: imports check that rows lie near it."""

from decimal import Decimal

from pages.models import CitySettings


def city_centre(site) -> tuple[Decimal, Decimal]:
    city = CitySettings.for_site(site)
    return city.latitude, city.longitude
