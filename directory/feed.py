"""The map's feeds: the compact points feed, the GeoJSON feed for integrators, and how both are
stored and served.

The feeds are read far more often than merchants change, so each is built once per change (per
site, filter set and generation token) and stored as what is sent: the gzipped bytes, and their
ETag under a key of its own. Publishing, unpublishing, moving or deleting a merchant (or editing
a category, district, initiative or site) replaces a generation token that is part of every key,
so a change shows on the map at once without having to find the affected keys. Search keeps its
list of listed merchants under the same token (search/query.py).

A hit reads two small strings from the shared cache (the generation and the ETag; a 304 stops
there) and takes the bytes from the process's memory. The bytes are stored under their ETag (a
hash of the bytes themselves), so a process can never serve stale bytes for an ETag: a process
that has not seen them yet reads them once from the shared cache (one `bytes` value, no object
to rebuild), and only when they are gone there too is the feed built again.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import orjson
from django.core.cache import cache
from django.db.models import F, FloatField
from django.db.models.functions import Cast, Round
from django.http.request import split_domain_port
from wagtail.models import Site

from . import offer_flags
from .filters import MerchantFilters, merchants_in
from .models import Category, MerchantPage

GENERATION_KEY = "map-feed:generation"
CACHE_SECONDS = 60 * 60
COMPRESS_LEVEL = 6
COORDINATE_DECIMALS = 5  # the points feed: about a metre
MEMORY_BYTES = 64 * 1024 * 1024  # gzipped feeds kept per process, least recently used dropped


def generation() -> str:
    """A token that changes whenever merchants visible on the map may have changed. Random,
    not a counter: a flushed cache must never bring back an old generation's token, which
    per-process copies (search's scope) may still hold."""
    return cache.get_or_set(GENERATION_KEY, lambda: secrets.token_hex(8), timeout=None)


def invalidate() -> None:
    """Make every cached feed stale (called on publish, unpublish, move and delete)."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


# -- building ------------------------------------------------------------------------------


def _float(field: str):
    return Cast(F(field), FloatField())


def _rounded(field: str):
    # Rounded as the stored decimal (PostgreSQL rounds numeric, not double precision), then
    # sent to Python as a float: no Decimal per row.
    return Cast(Round(F(field), COORDINATE_DECIMALS), FloatField())


FEW_IDS = 1000  # up to this many merchants, their links are asked for by id


def _initiatives_by_merchant(site: Site, ids: list[int]) -> dict[int, list[str]]:
    """The initiative slugs of the merchants `ids`. For a few merchants (a box, a filter) by
    their ids; for many, every link of the site's tree, joined in the database: links are few,
    and sending 100,000 ids back to the database costs more than the feed."""
    links = MerchantPage.initiatives.through.objects.order_by("initiative__slug")
    if len(ids) <= FEW_IDS:
        links = links.filter(merchantpage_id__in=ids)
    else:
        links = links.filter(merchantpage__path__startswith=site.root_page.path)
    found = defaultdict(list)
    for merchant_id, slug in links.values_list("merchantpage_id", "initiative__slug"):
        found[merchant_id].append(slug)
    return found


def feature_collection(site: Site, filters: MerchantFilters, now: datetime) -> bytes:
    """GeoJSON (RFC 7946) for integrators: one row per merchant, straight from the columns."""
    flags = offer_flags.all()
    offer_keys = [flag.key for flag in flags]
    rows = (
        merchants_in(site.root_page, filters, now)
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "url_path",
            "category__slug",
            _float("longitude"),
            _float("latitude"),
            *(flag.field for flag in flags),
        )
    )
    # Fetched whole, not through .iterator(): on PostgreSQL that is a server-side cursor, planned
    # for its first rows (cursor_tuple_fraction), which walks the primary key past 100,000
    # merchants for a box that holds 200 of them (27 ms instead of 2).
    rows = list(rows)
    if not rows:
        return orjson.dumps({"type": "FeatureCollection", "features": []})
    root_path_length = len(site.root_page.url_path) - 1
    initiatives = _initiatives_by_merchant(site, [row[0] for row in rows])
    no_links: list[str] = []
    offer_lists: dict[tuple, list[str]] = {}  # one list per combination of offers

    def offers_of(offers: tuple) -> list[str]:
        found = offer_lists.get(offers)
        if found is None:
            found = [key for key, has in zip(offer_keys, offers, strict=True) if has]
            offer_lists[offers] = found
        return found

    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {
                "id": pk,
                "name": title,
                "category": category,
                "url": url_path[root_path_length:],
                "offers": offers_of(tuple(offers)),
                "initiatives": initiatives.get(pk, no_links),
            },
        }
        for pk, title, url_path, category, lng, lat, *offers in rows
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


def points(site: Site, filters: MerchantFilters, now: datetime) -> bytes:
    """The compact feed the map draws from: [id, lon, lat, categoryIndex] per merchant, the
    coordinates rounded to 5 decimals, categoryIndex into `categories` (-1: none)."""
    slugs = dict(Category.objects.values_list("pk", "slug"))
    rows = (
        merchants_in(site.root_page, filters, now)
        .order_by("pk")
        .values_list("pk", _rounded("longitude"), _rounded("latitude"), "category_id")
    )
    categories: list[str] = []
    index: dict[int | None, int] = {}

    def position(category_id: int | None) -> int:
        if category_id not in slugs:
            return -1
        categories.append(slugs[category_id])
        return index.setdefault(category_id, len(categories) - 1)

    found = [
        (pk, lng, lat, index[category] if category in index else position(category))
        for pk, lng, lat, category in rows  # fetched whole: see feature_collection
    ]
    return orjson.dumps({"generation": generation(), "categories": categories, "points": found})


BUILDERS: dict[str, Callable[[Site, MerchantFilters, datetime], bytes]] = {
    "geojson": feature_collection,
    "points": points,
}


# -- storing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFeed:
    etag: str
    gzipped: bytes

    @property
    def body(self) -> bytes:
        """For the rare client that does not take gzip."""
        return gzip.decompress(self.gzipped)


class _Memory:
    """This process's copies of gzipped feeds by ETag, bounded in bytes (least recently used
    dropped). Content-addressed: an ETag's bytes never change, so there is nothing to expire."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self.lock:
            value = self.items.get(etag)
            if value is not None:
                self.items.move_to_end(etag)
            return value

    def put(self, etag: str, value: bytes) -> None:
        with self.lock:
            if etag in self.items or len(value) > self.limit:
                return
            self.items[etag] = value
            self.size += len(value)
            while self.size > self.limit:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


memory = _Memory(MEMORY_BYTES)


def feed_key(kind: str, site_id: int, filters: MerchantFilters, now: datetime, token: str) -> str:
    # "Open now" answers change with the clock: such entries live for the current minute only.
    minute = now.strftime("%Y%m%d%H%M") if filters.open_now else ""
    raw = f"{kind}|{token}|{offer_flags.version()}|{site_id}|{minute}|{filters.cache_key_part()}"
    return "map-feed:" + hashlib.sha256(raw.encode()).hexdigest()


def _bytes_key(etag: str) -> str:
    return "map-feed:gz:" + etag.strip('"')


def stored_etag(key: str) -> str | None:
    return cache.get(key + ":etag")


def stored_bytes(etag: str) -> bytes | None:
    """The gzipped bytes of `etag`: from this process's memory, else the shared cache."""
    gzipped = memory.get(etag)
    if gzipped is None:
        gzipped = cache.get(_bytes_key(etag))
        if isinstance(gzipped, bytes):
            memory.put(etag, gzipped)
        else:
            gzipped = None
    return gzipped


@contextmanager
def _without_gc() -> Iterator[None]:
    """A feed is some 100,000 small containers that all live until it is dumped: the cyclic
    garbage collector would walk them again and again as they pile up (three quarters of the
    build's time at 100,000 merchants) and find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(kind: str, key: str, site: Site, filters: MerchantFilters, now: datetime) -> StoredFeed:
    """Build the feed and store its bytes, then its ETag (so an ETag found has its bytes)."""
    with _without_gc():
        body = BUILDERS[kind](site, filters, now)
    gzipped = gzip.compress(body, COMPRESS_LEVEL, mtime=0)
    del body
    etag = '"' + hashlib.blake2b(gzipped, digest_size=16).hexdigest() + '"'
    memory.put(etag, gzipped)
    cache.set(_bytes_key(etag), gzipped, timeout=CACHE_SECONDS)
    cache.set(key + ":etag", etag, timeout=CACHE_SECONDS)
    return StoredFeed(etag, gzipped)


def stored_feed(kind: str, site: Site, filters: MerchantFilters, now: datetime) -> StoredFeed:
    """The stored feed, built if missing (what the first visitor and the warming task do)."""
    key = feed_key(kind, site.pk, filters, now, generation())
    etag = stored_etag(key)
    gzipped = stored_bytes(etag) if etag else None
    if etag and gzipped is not None:
        return StoredFeed(etag, gzipped)
    return build(kind, key, site, filters, now)


def cached_feed(site: Site, filters: MerchantFilters, now: datetime) -> StoredFeed:
    """The GeoJSON feed (kept for callers that predate the points feed)."""
    return stored_feed("geojson", site, filters, now)


# -- which site ----------------------------------------------------------------------------

_sites: dict[tuple[str, int | str], tuple[str, Site | None]] = {}
_SITES_KEPT = 256


def site_for(request, token: str | None = None) -> Site | None:
    """Site.find_for_request without its query on every request: this process remembers the
    answer per host and port for as long as the generation token stands (any change to a site
    replaces it, directory/signals.py)."""
    token = token or generation()
    host = (split_domain_port(request._get_raw_host())[0], request.get_port())
    remembered = _sites.get(host)
    if remembered is not None and remembered[0] == token:
        return remembered[1]
    site = Site.find_for_request(request)
    if site is not None:
        site.root_page  # noqa: B018 (loaded once, kept with the site)
    if len(_sites) >= _SITES_KEPT:
        _sites.clear()
    _sites[host] = (token, site)
    return site
