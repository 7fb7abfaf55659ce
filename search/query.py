"""Merchant and story search on Wagtail's database backend (SQLite FTS5 or PostgreSQL).

Every query is folded like the index (portal.folding), ranked by the backend, then narrowed by
the same filters as the map (directory.filters) and, for "near me", ordered by distance.
"""

import math
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.translation import gettext

from directory.filters import MerchantFilters, merchants_in
from directory.models import Category, District, MerchantPage
from pages.models import StoryPage
from portal import fulltext
from portal.folding import fold

MAX_QUERY_LENGTH = 200
MAX_RANKED = 1000  # relevance order is kept for the best matches; enough for any listing
PAGE_SIZE = 20
EARTH_RADIUS_KM = 6371.0


class QueryError(ValueError):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float

    def distance_km(self, latitude, longitude) -> float:
        lat1, lat2 = math.radians(self.latitude), math.radians(float(latitude))
        dlat = lat2 - lat1
        dlng = math.radians(float(longitude) - self.longitude)
        a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
        return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass
class MerchantHit:
    page: MerchantPage
    distance_km: float | None = None


@dataclass
class Facet:
    slug: str
    name: str
    count: int


@dataclass
class SearchOutcome:
    query: str
    merchants: PaginatorPage
    stories: list = field(default_factory=list)
    categories: list[Facet] = field(default_factory=list)
    districts: list[Facet] = field(default_factory=list)
    prefix_matches: bool = False  # no whole-word match: names starting with the query instead


def folded_query(raw: str) -> str:
    raw = (raw or "").strip()
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(
            gettext("At most %(count)d characters, please.") % {"count": MAX_QUERY_LENGTH}
        )
    return fold(raw)


def _facets(counts: dict, model) -> list[Facet]:
    objects = model.objects.in_bulk([pk for pk in counts if pk is not None])
    return sorted(
        (Facet(objects[pk].slug, objects[pk].name, n) for pk, n in counts.items() if pk in objects),
        key=lambda f: (-f.count, f.name),
    )


def search(
    root,
    raw_query: str,
    filters: MerchantFilters,
    now: datetime,
    near: Near | None = None,
    page_number=1,
    page_size: int = PAGE_SIZE,
) -> SearchOutcome:
    """Search the merchants and stories below `root` (a city's home page)."""
    query = folded_query(raw_query)
    candidates = MerchantPage.objects.live().public().descendant_of(root)
    found = fulltext.match(candidates, query) if query else None
    summary = found.summary() if found else (0, {}, {})
    prefix_matches = False
    if found and not summary[0]:
        found, prefix_matches = fulltext.match(candidates, query, prefix=True), True
        summary = found.summary()
    _total, category_counts, district_counts = summary

    ranked_ids = found.ranked_ids(MAX_RANKED) if found else []
    # The map's filters narrow the ranked matches (the query itself is already applied).
    other_filters = replace(filters, q="")
    if other_filters == MerchantFilters():
        ids = ranked_ids
    else:
        allowed = set(
            merchants_in(root, other_filters, now)
            .filter(pk__in=ranked_ids)
            .values_list("pk", flat=True)
        )
        ids = [pk for pk in ranked_ids if pk in allowed]

    positions = {}
    if near and ids:
        positions = {
            pk: (lat, lng)
            for pk, lat, lng in MerchantPage.objects.filter(pk__in=ids).values_list(
                "pk", "latitude", "longitude"
            )
        }
        ids.sort(key=lambda pk: near.distance_km(*positions[pk]))

    page = Paginator(ids, page_size).get_page(page_number)
    pages = MerchantPage.objects.select_related("category", "district", "hero_image").in_bulk(
        list(page.object_list)
    )
    page.object_list = [
        MerchantHit(pages[pk], near.distance_km(*positions[pk]) if near else None)
        for pk in page.object_list
    ]

    stories = stories_matching(root, query) if query else []
    return SearchOutcome(
        query=raw_query.strip(),
        merchants=page,
        stories=stories,
        categories=_facets(category_counts, Category),
        districts=_facets(district_counts, District),
        prefix_matches=prefix_matches,
    )


def stories_matching(root, query: str, limit: int = 5) -> list[StoryPage]:
    candidates = StoryPage.objects.live().public().descendant_of(root)
    ids = fulltext.match(candidates, query).ranked_ids(limit)
    stories = candidates.in_bulk(ids)
    return [stories[pk] for pk in ids if pk in stories]


def suggest(root, raw_query: str, limit: int = 8) -> list[MerchantPage]:
    """Names starting with what was typed so far, for search-as-you-type."""
    query = folded_query(raw_query)
    if len(query) < 2:
        return []
    candidates = MerchantPage.objects.live().public().descendant_of(root)
    ids = fulltext.match(candidates, query, prefix=True).ranked_ids(limit)
    pages = candidates.select_related("category", "district").in_bulk(ids)
    return [pages[pk] for pk in ids if pk in pages]
