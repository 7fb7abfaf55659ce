"""Coordinates: the map widget's string and the indexed numeric columns stay in step."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from directory.geo import format_point, parse_point

from .factories import MerchantPageFactory


def test_parse_point_reads_latitude_and_longitude_in_the_right_order():
    assert parse_point("SRID=4326;POINT(7.451 51.5075)") == (Decimal("51.5075"), Decimal("7.451"))


def test_format_point_round_trips_with_six_decimals():
    point = format_point(51.50751234, 7.45099999)
    assert point == "SRID=4326;POINT(7.451000 51.507512)"
    assert parse_point(point) == (Decimal("51.507512"), Decimal("7.451000"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "could not be read"),
        ("POINT(7.4 51.5)", "could not be read"),
        ("SRID=3857;POINT(7.4 51.5)", "SRID 4326"),
        ("SRID=4326;POINT(7.4 91.0)", "Latitude 91.000000 is outside -90 to 90"),
        ("SRID=4326;POINT(-180.5 51.5)", "Longitude -180.500000 is outside -180 to 180"),
        ("SRID=4326;POINT(0 0)", "0/0 lies in the Atlantic Ocean"),
    ],
)
def test_bad_points_get_a_clear_message(value, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as error:
        parse_point(value)
    assert message in " ".join(error.value.messages)


def test_clean_fills_the_numeric_columns_and_reports_on_the_location_field(directory_page):
    merchant = MerchantPageFactory.build(location="SRID=4326;POINT(7.4653 51.5136)")
    merchant.clean()
    assert (merchant.latitude, merchant.longitude) == (Decimal("51.5136"), Decimal("7.4653"))

    merchant.location = "SRID=4326;POINT(0 0)"
    with pytest.raises(ValidationError) as error:
        merchant.clean()
    assert "location" in error.value.message_dict


def test_save_keeps_columns_in_step_and_drafts_carry_them(directory_page):
    merchant = MerchantPageFactory(parent=directory_page)
    assert (merchant.latitude, merchant.longitude) == (Decimal("51.5075"), Decimal("7.451"))

    merchant.location = format_point(51.52, 7.48)
    revision = merchant.save_revision()  # a draft: the live row keeps the old position
    merchant.refresh_from_db()
    draft = revision.as_object()
    assert (draft.latitude, draft.longitude) == (Decimal("51.520000"), Decimal("7.480000"))
    assert merchant.latitude == Decimal("51.5075")

    revision.publish()
    merchant.refresh_from_db()
    assert (merchant.latitude, merchant.longitude) == (Decimal("51.52"), Decimal("7.48"))


def test_coordinates_alone_produce_the_widget_string(directory_page):
    merchant = MerchantPageFactory(parent=directory_page)
    merchant.location, merchant.latitude, merchant.longitude = "", Decimal("51.49"), Decimal("7.47")
    merchant.save()
    assert merchant.location == "SRID=4326;POINT(7.470000 51.490000)"
