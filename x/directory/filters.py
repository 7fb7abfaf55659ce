"""Which merchants a visitor asked for: filter parameters shared by the map feed and the list.

Invalid parameters raise FilterError naming the parameter, so the JSON API can answer 400 and
the HTML list can show a friendly message.
"""

import math
import re
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core import fulltext
from core.folding import fold

from . import offer_flags
from .hours import open_at_q
from .models import Category, District, Initiative, MerchantOpeningHours, MerchantPage

MAX_QUERY_LENGTH = 200
SLUG = re.compile(r"^[-a-z0-9_]+$")


class FilterError(ValueError):
    def __init__(self, parameter: str, detail: str):
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


@dataclass(frozen=True)
class MerchantFilters:
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
        raise FilterError(name, _("Use slugs separated by commas."))
    if values:
        known = set(model.objects.filter(slug__in=values).values_list("slug", flat=True))
        unknown = sorted(set(values) - known)
        if unknown:
            raise FilterError(
                name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}
            )
    return values


def _bbox(raw: str | None):
    if not raw:
        return None
    parts = raw.split(",")
    message = _("Expected west,south,east,north in degrees, e.g. 7.30,51.42,7.64,51.60.")
    if len(parts) != 4:
        raise FilterError("bbox", message)
    try:
        west, south, east, north = (Decimal(p.strip()) for p in parts)
    except InvalidOperation as error:
        raise FilterError("bbox", message) from error
    if not all(v.is_finite() for v in (west, south, east, north)):
        raise FilterError("bbox", message)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise FilterError(
            "bbox", _("West must be less than east and south less than north, within range.")
        )
    return west, south, east, north


def parse_near(params) -> tuple[float, float] | None:
    """The visitor's position for sorting the list ("latitude,longitude"), or None. Kept out of
    MerchantFilters: it orders the list and never narrows the map feed or its cache."""
    raw = (params.get("near") or "").strip()
    if not raw:
        return None
    message = _("Expected latitude,longitude in degrees, e.g. 51.5136,7.4653.")
    parts = raw.split(",")
    if len(parts) != 2:
        raise FilterError("near", message)
    try:
        latitude, longitude = (float(p.strip()) for p in parts)
    except ValueError as error:
        raise FilterError("near", message) from error
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise FilterError("near", message)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise FilterError("near", message)
    return latitude, longitude


METRES_PER_DEGREE = 111_195  # of latitude; of longitude times cos(latitude)


def by_distance(merchants, near: tuple[float, float]):
    """Nearest first, computed in the database on the indexed columns: a flat-earth
    (equirectangular) distance, exact to a few metres across a city. Annotates distance_sq
    (square metres); distance_m() turns it into metres."""
    latitude, longitude = near
    per_lng = METRES_PER_DEGREE * math.cos(math.radians(latitude))
    north = (Cast(F("latitude"), FloatField()) - Value(latitude)) * Value(float(METRES_PER_DEGREE))
    east = (Cast(F("longitude"), FloatField()) - Value(longitude)) * Value(per_lng)
    return merchants.annotate(distance_sq=north * north + east * east).order_by(
        "distance_sq", "title"
    )


def distance_m(merchant) -> float | None:
    squared = getattr(merchant, "distance_sq", None)
    return None if squared is None else math.sqrt(max(squared, 0))


def _boolean(params, name: str) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw in {"", "0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    raise FilterError(name, _("Use true or false."))


def parse_filters(params) -> MerchantFilters:
    """Validate query parameters; raises FilterError naming the first bad parameter."""
    offers = tuple(sorted({v.strip() for v in (params.get("offers") or "").split(",") if v}))
    unknown_offers = sorted(set(offers) - set(offer_flags.keys()))
    if unknown_offers:
        raise FilterError(
            "offers",
            _("Unknown offer: %(values)s. Possible: %(known)s.")
            % {"values": ", ".join(unknown_offers), "known": ", ".join(offer_flags.keys())},
        )
    q = (params.get("q") or "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        raise FilterError(
            "q", _("At most %(count)d characters, please.") % {"count": MAX_QUERY_LENGTH}
        )
    return MerchantFilters(
        bbox=_bbox(params.get("bbox")),
        category=_slugs(params, "category", Category),
        district=_slugs(params, "district", District),
        initiative=_slugs(params, "initiative", Initiative),
        offers=offers,
        open_now=_boolean(params, "open_now"),
        q=" ".join(q.split()),
    )


def merchants_in(root_page, filters: MerchantFilters, now: datetime):
    merchants = (
        MerchantPage.objects.live().public().descendant_of(root_page).filter(latitude__isnull=False)
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
        merchants = merchants.filter(**{offer_flags.get(offer).field: True})
    if filters.open_now:
        merchants = merchants.filter(
            pk__in=MerchantOpeningHours.objects.filter(open_at_q(now)).values("page_id")
        )
    if filters.q:
        # Folded like the index (core.folding); whole words first, else prefixes.
        words = fulltext.match(merchants, fold(filters.q)).queryset()
        if words.exists():
            return words
        return fulltext.match(merchants, fold(filters.q), prefix=True).queryset()
    return merchants
