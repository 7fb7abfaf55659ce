"""Coordinates every app checks the same way (a city's centre, a merchant's door, a district)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_coordinates(latitude, longitude) -> None:
    errors = []
    if not Decimal(-90) <= Decimal(latitude) <= Decimal(90):
        errors.append(
            ValidationError(
                _("Latitude %(value)s is outside -90 to 90 degrees."),
                code="latitude_range",
                params={"value": latitude},
            )
        )
    if not Decimal(-180) <= Decimal(longitude) <= Decimal(180):
        errors.append(
            ValidationError(
                _("Longitude %(value)s is outside -180 to 180 degrees."),
                code="longitude_range",
                params={"value": longitude},
            )
        )
    if Decimal(latitude) == 0 and Decimal(longitude) == 0:
        errors.append(
            ValidationError(
                _(
                    "0/0 lies in the Atlantic Ocean: the marker was probably never set. "
                    "Please place it on the map."
                ),
                code="null_island",
            )
        )
    if errors:
        raise ValidationError(errors)
