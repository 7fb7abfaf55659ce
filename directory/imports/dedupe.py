"""Is an imported row a merchant we already list? The rules of the map directories that do this
best (docs/imports.md):

- certain: the same website (host without www, plus path), the same e-mail, the same phone number
  (digits, +49 as 0), or the same normalised name within MAX_METRES (GoGoCarto's automatic merge);
- likely: within MAX_METRES and a similar name: a relative edit distance of at most 30 % (the
  Levenshtein distance over the longer name's length), or at most two differing words with at
  least one in common (Karte von morgen). Likely matches go to a human (ImportCandidate).

Neighbours are found in a grid of cells about MAX_METRES wide, filled from one query over the
city's merchants on the indexed latitude/longitude columns (a bounding box): a row is compared
with the merchants of its own and the eight surrounding cells, never with every merchant."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from rapidfuzz.distance import Levenshtein

from core.folding import fold

MAX_METRES = 100.0
MAX_RELATIVE_DISTANCE = 0.30
MAX_DIFFERING_WORDS = 2
EARTH_METRES = 6_371_000.0
METRES_PER_DEGREE = math.pi * EARTH_METRES / 180


def normal_name(name: str) -> str:
    return fold(name or "")


def normal_website(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return ""
    return host + parts.path.rstrip("/").lower()


def normal_email(email: str) -> str:
    return (email or "").strip().lower()


def normal_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith("+"):
        digits = "0" + digits[2:] if digits.startswith("49") else "00" + digits
    elif digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits if len(digits) >= 6 else ""  # "112" or a stray digit identifies nobody


def metres_between(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance on a sphere: within a few metres of the ellipsoid at 100 m."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(min(1.0, math.sqrt(a)))


def relative_distance(a: str, b: str) -> float:
    longer = max(len(a), len(b))
    return Levenshtein.distance(a, b) / longer if longer else 0.0


def differing_words(a: str, b: str) -> tuple[int, int]:
    """(words in one name and not the other, counted on the side with more; words in common)."""
    wa, wb = Counter(a.split()), Counter(b.split())
    return max(sum((wa - wb).values()), sum((wb - wa).values())), sum((wa & wb).values())


def similar_names(a: str, b: str) -> str:
    """Why two normalised names are similar, or "" if they are not."""
    distance = relative_distance(a, b)
    if distance <= MAX_RELATIVE_DISTANCE + 1e-9:
        return f"{round(distance * 100)} %"
    differing, common = differing_words(a, b)
    if common and differing <= MAX_DIFFERING_WORDS:
        return f"{differing} words"
    return ""


@dataclass
class Known:
    """What the rules need of a merchant."""

    pk: int
    name: str  # normalised
    lat: float | None
    lng: float | None
    website: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Match:
    certain: bool
    merchant_id: int
    reason: str


class MerchantIndex:
    """The city's merchants by website, e-mail, phone and grid cell (see the module doc)."""

    def __init__(self, centre_lat: float):
        self.cell_lat = MAX_METRES / METRES_PER_DEGREE
        self.cell_lng = self.cell_lat / max(0.1, math.cos(math.radians(centre_lat)))
        self.cells: dict[tuple[int, int], list[Known]] = defaultdict(list)
        self.by_key: dict[tuple[str, str], int] = {}

    @classmethod
    def of_merchants(cls, queryset, centre_lat: float) -> MerchantIndex:
        """One query: pass the city's merchants already cut to a bounding box."""
        index = cls(centre_lat)
        rows = queryset.values_list(
            "pk", "title", "latitude", "longitude", "website", "email", "phone"
        )
        for pk, title, lat, lng, website, email, phone in rows.iterator(chunk_size=5000):
            index.add(
                Known(
                    pk,
                    normal_name(title),
                    float(lat) if lat is not None else None,
                    float(lng) if lng is not None else None,
                    normal_website(website),
                    normal_email(email),
                    normal_phone(phone),
                )
            )
        return index

    def _cell(self, lat: float, lng: float) -> tuple[int, int]:
        return math.floor(lat / self.cell_lat), math.floor(lng / self.cell_lng)

    def add(self, known: Known) -> None:
        for kind in ("website", "email", "phone"):
            value = getattr(known, kind)
            if value:
                self.by_key.setdefault((kind, value), known.pk)
        if known.lat is not None:
            self.cells[self._cell(known.lat, known.lng)].append(known)

    def near(self, lat: float, lng: float) -> list[tuple[float, Known]]:
        row, col = self._cell(lat, lng)
        found = []
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for known in self.cells.get((row + dr, col + dc), ()):
                    metres = metres_between(lat, lng, known.lat, known.lng)
                    if metres <= MAX_METRES:
                        found.append((metres, known))
        return sorted(found, key=lambda pair: pair[0])

    def match(self, row: Known) -> Match | None:
        """The best match of `row` (its pk is ignored): certain before likely, nearer first."""
        for kind, label in (("website", "website"), ("email", "e-mail"), ("phone", "phone")):
            value = getattr(row, kind)
            if value and (kind, value) in self.by_key:
                return Match(True, self.by_key[(kind, value)], f"same {label}: {value}")
        if row.lat is None:
            return None
        near = self.near(row.lat, row.lng)
        for metres, known in near:
            if known.name == row.name:
                return Match(True, known.pk, f"same name {round(metres)} m away")
        for metres, known in near:
            why = similar_names(row.name, known.name)
            if why:
                return Match(False, known.pk, f"similar name ({why}) {round(metres)} m away")
        return None
