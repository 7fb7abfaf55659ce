"""JSON endpoints for the map: the GeoJSON feed and a merchant's details for a popup."""

from typing import Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from wagtail.models import Site

from . import feed, offer_flags
from .filters import FilterError, parse_filters
from .models import MerchantPage

router = Router(tags=["map"])

FEED_MAX_AGE = 60
MAX_ID = 2**63 - 1  # a database id: larger numbers are refused (422), not sent to SQLite


class ErrorOut(Schema):
    error: str = Field(description="Machine-readable error code or the offending parameter")
    detail: str = Field(description="What went wrong, in the visitor's language")


class FeedQuery(Schema):
    bbox: str | None = Field(None, description="west,south,east,north in degrees (WGS84)")
    category: str | None = Field(None, description="Category slugs, comma-separated")
    district: str | None = Field(None, description="District slugs, comma-separated")
    initiative: str | None = Field(None, description="Partner initiative slugs, comma-separated")
    offers: str | None = Field(
        None, description="Offer kinds, comma-separated: the keys a feature's `offers` lists"
    )
    open_now: str | None = Field(None, description="true: only merchants open right now")
    q: str | None = Field(None, description="Free text, at most 200 characters")


class PointOut(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(
        min_length=2, max_length=2, description="[longitude, latitude] in degrees (WGS84)"
    )


class MerchantPropertiesOut(Schema):
    id: int
    name: str
    category: str = Field(description="The category's slug")
    url: str = Field(description="The merchant page's path on the site")
    offers: list[str] = Field(description="Offer kinds, as the `offers` filter takes them")
    initiatives: list[str] = Field(description="Slugs of the partner initiatives")


class FeatureOut(Schema):
    type: Literal["Feature"]
    id: int
    geometry: PointOut
    properties: MerchantPropertiesOut


class FeatureCollectionOut(Schema):
    """GeoJSON (RFC 7946), served as application/geo+json."""

    type: Literal["FeatureCollection"]
    features: list[FeatureOut]


class MerchantDetailOut(Schema):
    id: int
    name: str
    url: str
    category: str
    district: str | None
    address: str
    intro: str
    image: str | None
    open_now: bool
    offers: list[str]
    initiatives: list[str]


def error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status)


def current_site(request: HttpRequest) -> Site | None:
    return Site.find_for_request(request)


@router.get(
    "/map/merchants.geojson",
    response={200: FeatureCollectionOut, 304: None, 400: ErrorOut, 404: ErrorOut},
    summary="Merchants of the current city as GeoJSON",
    operation_id="map_merchants",
    url_name="map_merchants",
)
def merchants_geojson(request: HttpRequest, filters: Query[FeedQuery]):
    site = current_site(request)
    if site is None:
        return error(404, "no_site", _("No city is configured for this address."))
    try:
        parsed = parse_filters(filters.dict())
    except FilterError as bad:
        return error(400, bad.parameter, bad.detail)

    cached = feed.cached_feed(site, parsed, timezone.localtime())
    if cached.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(cached.gzipped, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(cached.body, content_type="application/geo+json")
    response["ETag"] = cached.etag
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@router.get(
    "/map/merchants/{merchant_id}",
    response={200: MerchantDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="Details of one merchant for the map popup",
    operation_id="map_merchant_detail",
    url_name="map_merchant_detail",
)
def merchant_detail(
    request: HttpRequest,
    merchant_id: int = Path(..., ge=1, le=MAX_ID, description="The merchant page's id"),
):
    site = current_site(request)
    merchant = (
        MerchantPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .select_related("category", "district", "hero_image")
        .filter(pk=merchant_id)
        .first()
        if site
        else None
    )
    if merchant is None:
        return error(404, "not_found", _("This merchant is not on the map."))
    image = merchant.hero_image.get_rendition("fill-480x270").url if merchant.hero_image else None
    return {
        "id": merchant.pk,
        "name": merchant.title,
        "url": merchant.get_url(request),
        "category": merchant.category.name,
        "district": merchant.district.name if merchant.district else None,
        "address": merchant.address_line,
        "intro": merchant.intro,
        "image": image,
        "open_now": merchant.opening_status().is_open,
        "offers": offer_flags.offers_of(merchant),
        "initiatives": list(merchant.initiatives.values_list("slug", flat=True)),
    }
