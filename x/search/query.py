"""Merchant and story search on Wagtail's database backend (SQLite FTS5 or PostgreSQL).

Every query is folded like the index (core.folding), ranked by the backend, then narrowed by
the same filters as the map (directory.filters) and, for "near me", ordered by distance.
"""

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.utils.translation import gettext
from wagtail.search.models import IndexEntry

from core import fulltext
from core.folding import fold
from directory import feed, offer_flags
from directory.filters import MerchantFilters, merchants_in
from directory.models import Category, District, MerchantPage
from pages.models import StoryPage

from . import spelling

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

    def distance_to(self, merchant: "Listed") -> float:
        if merchant.latitude is None or merchant.longitude is None:
            return math.inf  # no marker yet: after everyone with one
        return self.distance_km(merchant.latitude, merchant.longitude)


@dataclass
class MerchantHit:
    page: MerchantPage
    distance_km: float | None = None

    def __post_init__(self):
        if self.distance_km == math.inf:
            self.distance_km = None  # no position known


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
    # Nothing matched what was typed: the results are those of this corrected query
    # ("Pizzeria" for "Pizzaria"), shown as "Did you mean …?" (search/spelling.py).
    corrected: str | None = None


def folded_query(raw: str) -> str:
    raw = (raw or "").strip()
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(
            gettext("At most %(count)d characters, please.") % {"count": MAX_QUERY_LENGTH}
        )
    return fold(raw)


class Listed(NamedTuple):
    pk: int
    category: int | None
    district: int | None
    latitude: float | None
    longitude: float | None
    offers: frozenset[str]  # keys of its offer flags (directory.offer_flags)


@dataclass(frozen=True)
class Listing:
    """What a search below one city may show: {merchant id: Listed}, and on SQLite also
    {full-text index row: Listed}, so that matches need no join to the index table."""

    merchants: dict[int, Listed]
    index_rows: dict[int, Listed] | None


# root page id -> ((map generation, offer flags' version), Listing); see listing().
_listing_cache: dict[int, tuple[tuple[str, int], Listing]] = {}


def listing(root) -> Listing:
    """Every merchant a search below `root` may show, with what facets and "near me" need.

    Joining thousands of text matches to the page tables costs more than the text search
    itself, so each process keeps this in memory until the map's generation token changes
    (publish, unpublish, move, delete, view restrictions; directory/feed.py). Index rows are
    written when a page is saved, before that token changes, so the map never misses one.
    """
    generation = (feed.generation(), offer_flags.version())
    cached = _listing_cache.get(root.pk)
    if cached and cached[0] == generation:
        return cached[1]
    flags = offer_flags.all()
    rows = (
        MerchantPage.objects.live()
        .public()
        .descendant_of(root)
        .values_list(
            "pk", "category_id", "district_id", "latitude", "longitude", *(f.field for f in flags)
        )
    )
    # One frozenset per combination of offers (a handful), shared by every merchant with it.
    offer_sets: dict[tuple, frozenset[str]] = {}

    def offers(has: tuple) -> frozenset[str]:
        found = offer_sets.get(has)
        if found is None:
            found = offer_sets[has] = frozenset(
                flag.key for flag, on in zip(flags, has, strict=True) if on
            )
        return found

    merchants = {
        pk: Listed(
            pk,
            category,
            district,
            None if latitude is None else float(latitude),
            None if longitude is None else float(longitude),
            offers(tuple(has)),
        )
        for pk, category, district, latitude, longitude, *has in rows
    }
    index_rows = None
    if connection.vendor == "sqlite":
        entries = IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(MerchantPage)
        ).values_list("pk", "object_id")
        index_rows = {row: merchants[int(pk)] for row, pk in entries if int(pk) in merchants}
    result = Listing(merchants, index_rows)
    _listing_cache[root.pk] = (generation, result)
    return result


def _ranked_matches(found, listing: Listing) -> list[Listed]:
    """Listed merchants that match, best first."""
    if listing.index_rows is not None:
        rows = listing.index_rows
        return [rows[row] for row in found.ranked_rowids() if row in rows]
    listed = listing.merchants
    return [listed[pk] for pk in found.ranked_index_ids() if pk in listed]


def _narrowed(hits: list[Listed], filters: MerchantFilters) -> tuple[list, Counter, Counter]:
    """Every match (not only the best ranked) narrowed by category, district and offers in
    memory, so that the list agrees with the facet counts next to it. Each facet
    counts the matches that every other chosen filter lets through: how many results choosing
    it would give (and its siblings stay to switch to)."""
    for offer in filters.offers:
        hits = [hit for hit in hits if offer in hit.offers]
    categories = _chosen_pks(Category, filters.category)
    districts = _chosen_pks(District, filters.district)
    # Comprehensions and attrgetter: one loop with branches, or getattr by name, took several
    # times as long over the 10,000 matches of a common word (bench/search.py).
    in_categories = hits if categories is None else [h for h in hits if h.category in categories]
    in_districts = hits if districts is None else [h for h in hits if h.district in districts]
    kept = (
        in_categories
        if districts is None
        else [h for h in in_categories if h.district in districts]
    )
    return (
        kept,
        Counter(map(attrgetter("category"), in_districts)),
        Counter(map(attrgetter("district"), in_categories)),
    )


def _chosen_pks(model, slugs) -> set[int] | None:
    """The chosen objects' keys, or None when nothing is chosen (no filter)."""
    if not slugs:
        return None
    return set(model.objects.filter(slug__in=slugs).values_list("pk", flat=True))


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
    visible = listing(root)
    listed = visible.merchants
    hits, prefix_matches, corrected, stories = [], False, None, []
    if query:
        hits, prefix_matches = _text_matches(candidates, query, visible)
        stories = stories_matching(root, query)
        if not hits:
            # No merchant: perhaps a typo. The corrected query's results replace these when
            # it finds anything (stories found for what was typed are then dropped with them).
            correction = spelling.correct(spelling.vocabulary(root), query)
            if correction:
                better, better_prefix = _text_matches(candidates, correction.folded, visible)
                better_stories = stories_matching(root, correction.folded)
                if better or better_stories:
                    hits, prefix_matches, stories = better, better_prefix, better_stories
                    corrected = correction.text
    hits, category_counts, district_counts = _narrowed(hits, filters)
    ranked_ids = [hit.pk for hit in hits[:MAX_RANKED]]
    # The map's other filters narrow the best ranked matches (the query is already applied).
    other_filters = replace(filters, q="", category=(), district=(), offers=())
    if other_filters == MerchantFilters():
        ids = ranked_ids
    else:
        allowed = set(
            merchants_in(root, other_filters, now)
            .filter(pk__in=ranked_ids)
            .values_list("pk", flat=True)
        )
        ids = [pk for pk in ranked_ids if pk in allowed]
    if near:
        ids.sort(key=lambda pk: near.distance_to(listed[pk]))

    page = Paginator(ids, page_size).get_page(page_number)
    pages = MerchantPage.objects.select_related("category", "district", "hero_image").in_bulk(
        list(page.object_list)
    )
    page.object_list = [
        MerchantHit(pages[pk], near.distance_to(listed[pk]) if near else None)
        for pk in page.object_list
    ]

    return SearchOutcome(
        query=raw_query.strip(),
        merchants=page,
        stories=stories,
        categories=_facets(category_counts, Category),
        districts=_facets(district_counts, District),
        prefix_matches=prefix_matches,
        corrected=corrected,
    )


def _text_matches(candidates, query: str, visible: Listing) -> tuple[list[Listed], bool]:
    """Listed merchants matching every word, best first; else those with words starting
    with each (True: prefix matches)."""
    hits = _ranked_matches(fulltext.match(candidates, query), visible)
    if hits:
        return hits, False
    return _ranked_matches(fulltext.match(candidates, query, prefix=True), visible), True


def stories_matching(root, query: str, limit: int = 5) -> list[StoryPage]:
    candidates = StoryPage.objects.live().public().descendant_of(root)
    ids = fulltext.match(candidates, query, few=True).ranked_ids(limit)
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
