"""The map's GeoJSON feed: filters, the query, serialisation and the response cache.

The feed is read far more often than merchants change, so the serialised and gzipped bytes are
cached per site and filter set. Publishing, unpublishing, moving or deleting a merchant (or
editing a category, district or initiative) replaces a generation token that is part of every
cache key, so a change shows on the map at once without having to find the affected keys.
Search keeps its list of listed merchants under the same token (search/query.py).
"""

import gzip
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import orjson
from django.core.cache import cache
from wagtail.models import Site

from . import offer_flags
from .filters import MerchantFilters, merchants_in
from .models import MerchantPage

GENERATION_KEY = "map-feed:generation"
CACHE_SECONDS = 60 * 60


def feature_collection(site: Site, filters: MerchantFilters, now: datetime) -> bytes:
    """Serialise the matching merchants with as little per-row work as possible."""
    flags = offer_flags.all()
    offer_keys = [flag.key for flag in flags]
    rows = merchants_in(site.root_page, filters, now).values_list(
        "pk",
        "title",
        "url_path",
        "category__slug",
        "latitude",
        "longitude",
        *(flag.field for flag in flags),
    )
    root_path_length = len(site.root_page.url_path) - 1
    rows = list(rows)
    initiatives = defaultdict(list)
    for merchant_id, slug in (
        MerchantPage.initiatives.through.objects.filter(merchantpage_id__in=[r[0] for r in rows])
        .order_by("initiative__slug")
        .values_list("merchantpage_id", "initiative__slug")
    ):
        initiatives[merchant_id].append(slug)
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
            "properties": {
                "id": pk,
                "name": title,
                "category": category,
                "url": url_path[root_path_length:],
                "offers": [key for key, has in zip(offer_keys, offers, strict=True) if has],
                "initiatives": initiatives.get(pk, []),
            },
        }
        for pk, title, url_path, category, lat, lng, *offers in rows
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


@dataclass(frozen=True)
class CachedFeed:
    etag: str
    body: bytes
    gzipped: bytes


def generation() -> str:
    """A token that changes whenever merchants visible on the map may have changed. Random,
    not a counter: a flushed cache must never bring back an old generation's token, which
    per-process copies (search's scope) may still hold."""
    return cache.get_or_set(GENERATION_KEY, lambda: secrets.token_hex(8), timeout=None)


def invalidate() -> None:
    """Make every cached feed stale (called on publish, unpublish, move and delete)."""
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def cached_feed(site: Site, filters: MerchantFilters, now: datetime) -> CachedFeed:
    # "Open now" answers change with the clock: such entries live for the current minute only.
    minute = now.strftime("%Y%m%d%H%M") if filters.open_now else ""
    raw_key = (
        f"{generation()}|{offer_flags.version()}|{site.pk}|{minute}|{filters.cache_key_part()}"
    )
    key = "map-feed:" + hashlib.sha256(raw_key.encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        body = feature_collection(site, filters, now)
        cached = CachedFeed(
            etag='"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"',
            body=body,
            gzipped=gzip.compress(body, compresslevel=6),
        )
        cache.set(key, cached, timeout=CACHE_SECONDS)
    return cached
