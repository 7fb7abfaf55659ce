"""The one place that reads and writes wagtailgeowidget's point string and checks coordinates."""

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtailgeowidget.helpers import geosgeometry_str_to_struct
from wagtailgeowidget.panels import LeafletPanel
from wagtailgeowidget.widgets import LeafletField

from core.geo import validate_coordinates

SRID = 4326
PRECISION = Decimal("0.000001")  # six decimals: about 10 cm, plenty for a shop door


def to_coordinate(value) -> Decimal:
    return Decimal(str(value)).quantize(PRECISION, rounding=ROUND_HALF_UP)


def parse_point(value: str) -> tuple[Decimal, Decimal]:
    """Return (latitude, longitude) from "SRID=4326;POINT(lng lat)" or raise ValidationError."""
    struct = geosgeometry_str_to_struct((value or "").strip())
    if struct is None:
        raise ValidationError(
            _("The position could not be read. Please set the marker on the map."), code="invalid"
        )
    if int(struct["srid"]) != SRID:
        raise ValidationError(
            _("Only WGS84 coordinates (SRID 4326) are supported."), code="invalid_srid"
        )
    try:
        latitude, longitude = to_coordinate(struct["y"]), to_coordinate(struct["x"])
    except InvalidOperation as error:
        raise ValidationError(
            _("The position could not be read. Please set the marker on the map."), code="invalid"
        ) from error
    validate_coordinates(latitude, longitude)
    return latitude, longitude


def format_point(latitude, longitude) -> str:
    return f"SRID={SRID};POINT({to_coordinate(longitude)} {to_coordinate(latitude)})"


def widget_translations() -> dict[str, str]:
    """wagtailgeowidget's messages in the language of the request: the package translates them
    once, at import, before any language is active, so the German admin said "Click here to
    initialize map". Same msgids, German in locale/de."""
    return {
        "error_message_invalid_location": _(
            "Invalid location coordinate, use Latitude and Longitude (example: 59.329,18.06858)"
        ),
        "success_address_geocoded": _("Address has been successfully geo-coded"),
        "error_could_not_geocode_address": _(
            "Could not geocode address '%s'. The map may not be in sync with the address entered."
        ),
        "enter_location": _("Enter a location"),
        "initialize_map": _("Click here to initialize map"),
    }


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's admin map with Leaflet served from our own static files (npm), not
    from unpkg.com: the admin must work without a CDN, like the public map."""

    def build_attrs(self, *args, **kwargs):
        attrs = super().build_attrs(*args, **kwargs)
        options = attrs.get("data-leaflet-field-options-value")
        if options:
            data = json.loads(options)
            data["translations"] = widget_translations()
            attrs["data-leaflet-field-options-value"] = json.dumps(data)
        return attrs

    @cached_property
    def media(self):
        return forms.Media(
            css={"all": ("wagtailgeowidget/css/leaflet-field.css", "vendor/leaflet/leaflet.css")},
            js=(
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
                "vendor/leaflet/leaflet.js",
            ),
        )


class LocalLeafletPanel(LeafletPanel):
    def widget_overrides(self):
        field = self.model._meta.get_field(self.field_name)
        return {
            self.field_name: LocalLeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom,
                srid=getattr(field, "srid", SRID),
                id_prefix="id_",
            )
        }
