"""JSON endpoints for the map: the compact points feed and labels the map draws from, the
GeoJSON feed for integrators, and a merchant's details for a popup."""

import gzip
from typing import Annotated, Literal

import orjson
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
MAX_LABEL_IDS = 500


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


class MapPointsOut(Schema):
    generation: str = Field(description="Changes whenever the map's merchants may have changed")
    categories: list[str] = Field(description="Category slugs; a point's categoryIndex")
    # A row as a list of 4 numbers, not a tuple: schemathesis 4 cannot read the tuple's
    # prefixItems (OpenAPI 3.1). id and categoryIndex are integers.
    points: list[Annotated[list[float], Field(min_length=4, max_length=4)]] = Field(
        description=(
            "[id, longitude, latitude, categoryIndex] per merchant: id and categoryIndex are "
            "integers (categoryIndex into `categories`, -1 for none), longitude and latitude "
            "WGS84 degrees rounded to 5 decimals"
        )
    )


class LabelOut(Schema):
    name: str
    url: str = Field(description="The merchant page's path on the site")


class LabelsOut(Schema):
    labels: dict[str, LabelOut] = Field(description="By merchant id")


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
    return feed.site_for(request)


def etag_matches(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    if wanted.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in wanted.split(","))


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def stored_response(request: HttpRequest, kind: str, filters: FeedQuery, content_type: str):
    """A stored feed (directory/feed.py) as sent: the gzipped bytes with their ETag, a 304
    that reads nothing but the ETag, decompressed only for a client that refuses gzip."""
    token = feed.generation()
    site = feed.site_for(request, token)
    if site is None:
        return error(404, "no_site", _("No city is configured for this address."))
    try:
        parsed = parse_filters(filters.dict())
    except FilterError as bad:
        return error(400, bad.parameter, bad.detail)
    now = timezone.localtime()
    key = feed.feed_key(kind, site.pk, parsed, now, token)
    etag = feed.stored_etag(key)
    matched = etag is not None and etag_matches(request, etag)
    gzipped = feed.stored_bytes(etag) if etag is not None and not matched else None
    if not matched and gzipped is None:
        stored = feed.build(kind, key, site, parsed, now)
        etag, gzipped = stored.etag, stored.gzipped
        matched = etag_matches(request, etag)
    if matched:
        response = HttpResponse(status=304)
        del response["Content-Type"]  # no body; and no HTML for the middleware to decorate
    elif accepts_gzip(request):
        response = HttpResponse(gzipped, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(gzipped), content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@router.get(
    "/map/points",
    response={200: MapPointsOut, 304: None, 400: ErrorOut, 404: ErrorOut},
    summary="The map's points: id, position and category of each merchant, compact",
    description=(
        "What the map draws: one `[id, longitude, latitude, categoryIndex]` row per merchant "
        "(coordinates rounded to 5 decimals; `categoryIndex` points into `categories`, -1 for "
        "none). Names and links come from `/api/map/labels`. Gzipped when the client accepts "
        "it; ETag and If-None-Match."
    ),
    operation_id="map_points",
    url_name="map-points",
)
def map_points(request: HttpRequest, filters: Query[FeedQuery]):
    return stored_response(request, "points", filters, "application/json")


def parse_ids(raw: str) -> list[int]:
    parts = [part.strip() for part in raw.split(",")]
    if not raw.strip() or len(parts) > MAX_LABEL_IDS:
        raise FilterError(
            "ids", _("Between 1 and %(count)d ids, please.") % {"count": MAX_LABEL_IDS}
        )
    if not all(part.isascii() and part.isdigit() and len(part) <= 19 for part in parts):
        raise FilterError("ids", _("Use merchant ids separated by commas."))
    ids = {int(part) for part in parts}
    if not all(1 <= number <= MAX_ID for number in ids):
        raise FilterError("ids", _("Use merchant ids separated by commas."))
    return sorted(ids)


@router.get(
    "/map/labels",
    response={200: LabelsOut, 404: ErrorOut, 422: ErrorOut},
    summary="Names and links of merchants on the map, by id",
    description=(
        f"At most {MAX_LABEL_IDS} ids. Ids of merchants not on this city's map are left out."
    ),
    operation_id="map_labels",
    url_name="map-labels",
)
def map_labels(
    request: HttpRequest,
    ids: str = Query(
        ...,
        max_length=MAX_LABEL_IDS * 20,
        description=f"Merchant ids, comma-separated (at most {MAX_LABEL_IDS})",
    ),
):
    try:
        wanted = parse_ids(ids)
    except FilterError as bad:
        return error(422, bad.parameter, bad.detail)
    site = current_site(request)
    if site is None:
        return error(404, "no_site", _("No city is configured for this address."))
    root_path_length = len(site.root_page.url_path) - 1
    rows = (
        MerchantPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(pk__in=wanted)
        .values_list("pk", "title", "url_path")
    )
    labels = {
        str(pk): {"name": title, "url": url_path[root_path_length:]} for pk, title, url_path in rows
    }
    response = HttpResponse(orjson.dumps({"labels": labels}), content_type="application/json")
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


@router.get(
    "/map/merchants.geojson",
    response={200: FeatureCollectionOut, 304: None, 400: ErrorOut, 404: ErrorOut},
    summary="Merchants of the current city as GeoJSON",
    description=(
        "For integrators: every merchant with name, category, link, offers and initiatives, "
        "as application/geo+json. The map itself reads the smaller `/api/map/points`."
    ),
    operation_id="map_merchants",
    url_name="map_merchants",
)
def merchants_geojson(request: HttpRequest, filters: Query[FeedQuery]):
    return stored_response(request, "geojson", filters, "application/geo+json")


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
