"""The map's GeoJSON feed: filters, the query, serialisation and the response cache.

The feed is read far more often than merchants change, so the serialised and gzipped bytes are
cached per site and filter set. Publishing, unpublishing, moving or deleting a merchant (or
editing a category, district or initiative) bumps a generation number that is part of every
cache key, so a change shows on the map at once without having to find the affected keys.
"""

import gzip
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation

import orjson
from django.core.cache import cache
from django.utils.translation import gettext as _
from wagtail.models import Site

from .hours import open_at_q
from .models import Category, District, Initiative, MerchantOpeningHours, MerchantPage

OFFER_FLAGS = {
    "voucher": "has_voucher_offer",
    "donation": "has_donation_offer",
    "campaign": "has_campaign",
}
GENERATION_KEY = "map-feed:generation"
CACHE_SECONDS = 60 * 60
MAX_QUERY_LENGTH = 200
SLUG = re.compile(r"^[-a-z0-9_]+$")


class FeedParameterError(ValueError):
    def __init__(self, parameter: str, detail: str):
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


@dataclass(frozen=True)
class FeedFilters:
    bbox: tuple[Decimal, Decimal, Decimal, Decimal] | None = None
    category: tuple[str, ...] = ()
    district: tuple[str, ...] = ()
    initiative: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    open_now: bool = False
    q: str = ""

    def cache_key_part(self) -> str:
        return "|".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def _slugs(params, name: str, model) -> tuple[str, ...]:
    raw = params.get(name) or ""
    values = tuple(sorted({v.strip() for v in raw.split(",") if v.strip()}))
    if not all(SLUG.match(v) for v in values):
        raise FeedParameterError(name, _("Use slugs separated by commas."))
    if values:
        known = set(model.objects.filter(slug__in=values).values_list("slug", flat=True))
        unknown = sorted(set(values) - known)
        if unknown:
            raise FeedParameterError(
                name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}
            )
    return values


def _bbox(raw: str | None):
    if not raw:
        return None
    parts = raw.split(",")
    message = _("Expected west,south,east,north in degrees, e.g. 7.30,51.42,7.64,51.60.")
    if len(parts) != 4:
        raise FeedParameterError("bbox", message)
    try:
        west, south, east, north = (Decimal(p.strip()) for p in parts)
    except InvalidOperation as error:
        raise FeedParameterError("bbox", message) from error
    if not all(v.is_finite() for v in (west, south, east, north)):
        raise FeedParameterError("bbox", message)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise FeedParameterError(
            "bbox", _("West must be less than east and south less than north, within range.")
        )
    return west, south, east, north


def _boolean(params, name: str) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    raise FeedParameterError(name, _("Use true or false."))


def parse_filters(params) -> FeedFilters:
    """Validate query parameters; raises FeedParameterError naming the first bad parameter."""
    offers = tuple(sorted({v.strip() for v in (params.get("offers") or "").split(",") if v}))
    unknown_offers = sorted(set(offers) - set(OFFER_FLAGS))
    if unknown_offers:
        raise FeedParameterError(
            "offers",
            _("Unknown offer: %(values)s. Use voucher, donation or campaign.")
            % {"values": ", ".join(unknown_offers)},
        )
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise FeedParameterError(
            "q", _("At most %(count)d characters, please.") % {"count": MAX_QUERY_LENGTH}
        )
    return FeedFilters(
        bbox=_bbox(params.get("bbox")),
        category=_slugs(params, "category", Category),
        district=_slugs(params, "district", District),
        initiative=_slugs(params, "initiative", Initiative),
        offers=offers,
        open_now=_boolean(params, "open_now"),
        q=" ".join(q.split()),
    )


def merchants_in(site: Site, filters: FeedFilters, now: datetime):
    merchants = (
        MerchantPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(latitude__isnull=False)
    )
    if filters.bbox:
        west, south, east, north = filters.bbox
        merchants = merchants.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    if filters.category:
        merchants = merchants.filter(category__slug__in=filters.category)
    if filters.district:
        merchants = merchants.filter(district__slug__in=filters.district)
    if filters.initiative:
        merchants = merchants.filter(
            pk__in=MerchantPage.initiatives.through.objects.filter(
                initiative__slug__in=filters.initiative
            ).values("merchantpage_id")
        )
    for offer in filters.offers:
        merchants = merchants.filter(**{OFFER_FLAGS[offer]: True})
    if filters.open_now:
        merchants = merchants.filter(
            pk__in=MerchantOpeningHours.objects.filter(open_at_q(now)).values("page_id")
        )
    if filters.q:
        matches = MerchantPage.objects.live().descendant_of(site.root_page).search(filters.q)
        merchants = merchants.filter(pk__in=[page.pk for page in matches])
    return merchants


def feature_collection(site: Site, filters: FeedFilters, now: datetime) -> bytes:
    """Serialise the matching merchants with as little per-row work as possible."""
    rows = merchants_in(site, filters, now).values_list(
        "pk",
        "title",
        "url_path",
        "category__slug",
        "latitude",
        "longitude",
        *OFFER_FLAGS.values(),
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
                "offers": [name for name, flag in zip(OFFER_FLAGS, flags, strict=True) if flag],
                "initiatives": initiatives.get(pk, []),
            },
        }
        for pk, title, url_path, category, lat, lng, *flags in rows
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features})


@dataclass(frozen=True)
class CachedFeed:
    etag: str
    body: bytes
    gzipped: bytes


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def invalidate() -> None:
    """Make every cached feed stale (called on publish, unpublish, move and delete)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cached_feed(site: Site, filters: FeedFilters, now: datetime) -> CachedFeed:
    # "Open now" answers change with the clock: such entries live for the current minute only.
    minute = now.strftime("%Y%m%d%H%M") if filters.open_now else ""
    raw_key = f"{generation()}|{site.pk}|{minute}|{filters.cache_key_part()}"
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
