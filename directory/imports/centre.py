"""The centre of a city's map, in one place: imports check that rows lie near it.

Today it lives in directory.MapSettings; it moves to the city's settings (issue 16), and only
this function changes then."""

from decimal import Decimal

from ..models import MapSettings


def city_centre(site) -> tuple[Decimal, Decimal]:
    settings = MapSettings.for_site(site)
    return settings.latitude, settings.longitude
