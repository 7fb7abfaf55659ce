"""JSON search for search-as-you-type and integrators."""

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.models import Site

from core.folding import fold
from directory import offer_flags
from directory.filters import FilterError

from . import backends, params, query

router = Router(tags=["search"])


class SearchQuery(Schema):
    # Required: without it the answer is 422; blank or without letters and digits, 400.
    q: str = Field(..., description="What to look for, at most 200 characters")
    category: str | None = None
    district: str | None = None
    initiative: str | None = None
    offers: str | None = None
    open_now: str | None = None
    # Strings on purpose: our own validation answers 400 {"error", "detail"}, not ninja's 422.
    lat: str | None = Field(None, description="Visitor's latitude, to sort by distance")
    lng: str | None = Field(None, description="Visitor's longitude")
    page: str | None = Field(None, description="Page number, from 1")


class ErrorOut(Schema):
    error: str = Field(description="Machine-readable error code or the offending parameter")
    detail: str = Field(description="What went wrong, in the visitor's language")


class MerchantHitOut(Schema):
    id: int
    name: str
    url: str
    category: str
    district: str | None
    address: str
    distance_km: float | None = Field(description="From lat/lng when given, else null")
    offers: list[str] = Field(description="Offer kinds: the keys the map's `offers` filter takes")


class StoryHitOut(Schema):
    title: str
    url: str
    teaser: str


class FacetOut(Schema):
    slug: str
    name: str
    count: int


class FacetsOut(Schema):
    category: list[FacetOut]
    district: list[FacetOut]


class SearchOut(Schema):
    query: str
    total: int = Field(description="Merchants found, on all pages")
    page: int
    pages: int
    prefix_matches: bool = Field(description="No whole-word match: names starting with q")
    did_you_mean: str | None = Field(
        description="Nothing matched q: the results are for this corrected query instead"
    )
    merchants: list[MerchantHitOut]
    stories: list[StoryHitOut]
    facets: FacetsOut


class SuggestionOut(Schema):
    name: str
    url: str
    category: str
    district: str | None


class SuggestOut(Schema):
    query: str
    suggestions: list[SuggestionOut]


def error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status)


def merchant_json(request, hit) -> dict:
    page = hit.page
    return {
        "id": page.pk,
        "name": page.title,
        "url": page.get_url(request),
        "category": page.category.name,
        "district": page.district.name if page.district else None,
        "address": page.address_line,
        "distance_km": round(hit.distance_km, 2) if hit.distance_km is not None else None,
        "offers": offer_flags.offers_of(page),
    }


@router.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut, 422: ErrorOut},
    summary="Search merchants (then stories) of the current city",
    url_name="search",
)
def search(request: HttpRequest, filters: Query[SearchQuery]):
    try:
        search_request = params.read(request.GET)
    except FilterError as bad:
        return error(400, bad.parameter, bad.detail)
    if not fold(search_request.query):
        return error(400, "q", _("Please enter a word to search for."))
    site = Site.find_for_request(request)
    outcome = backends.current().search(
        site.root_page,
        search_request.query,
        search_request.filters,
        timezone.localtime(),
        near=search_request.near,
        page_number=filters.page,
    )
    return {
        "query": outcome.query,
        "total": outcome.merchants.paginator.count,
        "page": outcome.merchants.number,
        "pages": outcome.merchants.paginator.num_pages,
        "prefix_matches": outcome.prefix_matches,
        # Nothing matched what was typed: the results are for this corrected query instead.
        "did_you_mean": outcome.corrected,
        "merchants": [merchant_json(request, hit) for hit in outcome.merchants],
        "stories": [
            {"title": s.title, "url": s.get_url(request), "teaser": s.teaser}
            for s in outcome.stories
        ],
        "facets": {
            "category": [f.__dict__ for f in outcome.categories],
            "district": [f.__dict__ for f in outcome.districts],
        },
    }


@router.get(
    "/search/suggest",
    response={200: SuggestOut, 400: ErrorOut},
    summary="Merchant names starting with what was typed (from the second letter)",
    url_name="search_suggest",
)
def suggest(request: HttpRequest, q: str = ""):
    try:
        pages = backends.current().suggest(Site.find_for_request(request).root_page, q)
    except query.QueryError as bad:
        return error(400, "q", bad.detail)
    return {
        "query": q,
        "suggestions": [
            {
                "name": p.title,
                "url": p.get_url(request),
                "category": p.category.name,
                "district": p.district.name if p.district else None,
            }
            for p in pages
        ],
    }
