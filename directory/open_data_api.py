"""The open data export's endpoints (/api/open-data/...), built by directory/open_data.py."""

import gzip
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from . import feed, open_data
from .api import FEED_MAX_AGE, ErrorOut, PointOut, accepts_gzip, error, etag_matches

router = Router(tags=["open data"])


class LicenceOut(Schema):
    name: str = Field(description='The licence\'s short name, e.g. "CC BY 4.0"')
    url: str = Field(description="Where the licence's text is (may be empty)")


class OpenDataPropertiesOut(Schema):
    id: int
    name: str
    url: str = Field(description="The merchant page's full URL")
    street: str
    postcode: str
    town: str
    address: str = Field(description="Street, postcode and town in one line")
    category: str = Field(description="The category's name")
    district: str = Field(description="The district's name, empty for none")
    opening_hours: str = Field(
        description="OpenStreetMap opening_hours syntax, e.g. `Mo-Fr 09:00-18:00; Sa 10:00-14:00`; "
        "empty when not known"
    )
    opening_hours_note: str
    website: str
    phone: str
    email: str
    initiatives: list[str] = Field(description="Names of the partner initiatives")
    offers: list[str] = Field(description="Offer kinds (voucher, donation, campaign, ...)")
    last_change: str = Field(description="Last published, ISO 8601 with time zone")
    licence: str
    licence_url: str


class OpenDataFeatureOut(Schema):
    type: Literal["Feature"]
    id: int
    geometry: PointOut | None
    properties: OpenDataPropertiesOut


class OpenDataCollectionOut(Schema):
    """GeoJSON (RFC 7946) with the licence and attribution as top-level members."""

    type: Literal["FeatureCollection"]
    licence: LicenceOut
    attribution: str
    features: list[OpenDataFeatureOut]


def export_response(request: HttpRequest, kind: str):
    token = feed.generation()
    site = feed.site_for(request, token)
    if site is None:
        return error(404, "no_site", _("No city is configured for this address."))
    stored = open_data.stored_export(
        site, kind, token, wanted_etag=lambda etag: etag_matches(request, etag)
    )
    content_type = open_data.FORMATS[kind]
    if stored.gzipped is None:
        response = HttpResponse(status=304)
        del response["Content-Type"]
    elif accepts_gzip(request):
        response = HttpResponse(stored.gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(stored.gzipped), content_type=content_type)
    if stored.gzipped is not None:
        filename = f"merchants-{site.hostname}.{kind}"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = stored.etag
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


FIELDS = (
    "id, name, url, street, postcode, town, address, latitude, longitude, category, district, "
    "opening_hours (OpenStreetMap syntax), opening_hours_note, website, phone, email, "
    "initiatives, offers, last_change (ISO 8601), licence, licence_url"
)


@router.get(
    "/open-data/merchants.csv",
    response={200: str, 304: None, 404: ErrorOut},
    summary="Open data: every merchant of the current city as CSV",
    description=(
        "All live, public merchants of the city with their public fields, one row each: "
        f"{FIELDS}. RFC 4180 (comma-separated, UTF-8 without BOM, a header row); several "
        'values in one cell are separated by "; ". Each row carries its licence. ETag and '
        "If-None-Match; gzipped when the client accepts it. See docs/open-data.md."
    ),
    operation_id="open_data_csv",
    url_name="open-data-csv",
)
def merchants_csv(request: HttpRequest):
    return export_response(request, "csv")


@router.get(
    "/open-data/merchants.geojson",
    response={200: OpenDataCollectionOut, 304: None, 404: ErrorOut},
    summary="Open data: every merchant of the current city as GeoJSON",
    description=(
        "The same merchants and fields as the CSV as a GeoJSON FeatureCollection "
        "(application/geo+json, RFC 7946), with the city's licence and attribution as "
        "top-level members `licence` and `attribution`; a merchant without a position has "
        "the geometry null. ETag and If-None-Match; gzipped when the client accepts it."
    ),
    operation_id="open_data_geojson",
    url_name="open-data-geojson",
)
def merchants_geojson(request: HttpRequest):
    return export_response(request, "geojson")
