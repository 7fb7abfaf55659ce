"""The open data export of a city: every live, public merchant of the site with all its public
fields, as CSV and as GeoJSON, each row with its licence (docs/open-data.md).

Built from a few whole-table reads (the merchants with category and district joined, their
initiative links, their opening hours, the licence), never one query per merchant, and stored
like the map's feeds: gzipped, under a key made of the map's generation token (replaced on every
publish, unpublish, move or delete), the offer flags, the site and the licence, with an ETag."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import orjson
from django.core.cache import cache
from wagtail.models import Site

from . import feed, hours, offer_flags
from .models import MerchantOpeningHours, MerchantPage

DEFAULT_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
CACHE_SECONDS = 60 * 60
FORMAT_VERSION = "1"  # part of the ETag: raise it when the columns change
LIST_SEPARATOR = "; "  # several values in one CSV cell (initiatives, offers)

CSV_COLUMNS = [
    "id",
    "name",
    "url",
    "street",
    "postcode",
    "town",
    "address",
    "latitude",
    "longitude",
    "category",
    "district",
    "opening_hours",
    "opening_hours_note",
    "website",
    "phone",
    "email",
    "initiatives",
    "offers",
    "last_change",
    "licence",
    "licence_url",
]

FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


def city_licence(site: Site) -> tuple[str, str]:
    """(name, URL) of the licence the city publishes its data under (pages.CitySettings):
    the one place the export, its page and its schema ask."""
    from pages.models import CitySettings

    settings = CitySettings.for_site(site)
    name = settings.data_licence.strip()
    if not name:
        return DEFAULT_LICENCE
    return name, settings.data_licence_url.strip()


def merchant_licences(
    site: Site, merchant_ids: Iterable[int], *, city: tuple[str, str] | None = None
) -> dict[int, tuple[str, str]]:
    """The licence of each merchant's row (`city`: the city's, if the caller has read it):
    a merchant an import created keeps its source's licence (OSM's ODbL, say), the rest is the
    city's, also one a source was merged into (it only gained the initiative, none of the
    source's data). One query for all of them."""
    from .models import MerchantSourceRecord

    licence = city or city_licence(site)
    ids = list(merchant_ids)
    licences = dict.fromkeys(ids, licence)
    records = (  # by city, not by id: a list of 100,000 ids is too long for one query
        MerchantSourceRecord.objects.filter(source__site=site, created=True)
        .exclude(source__licence="")
        .order_by("pk")
        .values_list("merchant_id", "source__licence", "source__licence_url")
    )
    for merchant_id, name, url in records:
        if merchant_id in licences:
            licences[merchant_id] = (name, url)
    return licences


@dataclass(frozen=True)
class Merchant:
    id: int
    name: str
    url: str
    street: str
    postcode: str
    town: str
    latitude: float | None
    longitude: float | None
    category: str
    district: str
    opening_hours: str
    opening_hours_note: str
    website: str
    phone: str
    email: str
    initiatives: list[str]
    offers: list[str]
    last_change: str
    licence: str
    licence_url: str

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.town}"


def _links_of(model, site: Site, ids: list[int], field: str):
    """Rows of `model` (a table keyed by merchant) for the merchants `ids`: by id for a few,
    by the site's tree for many (sending 100,000 ids back costs more than the join)."""
    if len(ids) <= feed.FEW_IDS:
        return model.objects.filter(**{f"{field}__in": ids})
    prefix = field.removesuffix("_id")
    return model.objects.filter(**{f"{prefix}__path__startswith": site.root_page.path})


def merchants(site: Site, licence: tuple[str, str] | None = None) -> list[Merchant]:
    """Every live, public merchant of `site`, ordered by id, with all its public fields
    (`licence`: the city's, if the caller has read it)."""
    flags = offer_flags.all()
    rows = list(
        MerchantPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .order_by("pk")
        .values_list(
            "pk",
            "title",
            "url_path",
            "street",
            "postcode",
            "city",
            "latitude",
            "longitude",
            "category__name",
            "district__name",
            "hours_note",
            "website",
            "phone",
            "email",
            "last_published_at",
            *(flag.field for flag in flags),
        )
    )
    ids = [row[0] for row in rows]
    initiatives: dict[int, list[str]] = defaultdict(list)
    through = MerchantPage.initiatives.through
    links = _links_of(through, site, ids, "merchantpage_id").order_by("initiative__name")
    for merchant_id, name in links.values_list("merchantpage_id", "initiative__name"):
        initiatives[merchant_id].append(name)
    intervals: dict[int, list[hours.Interval]] = defaultdict(list)
    hour_rows = _links_of(MerchantOpeningHours, site, ids, "page_id")
    for page_id, weekday, opens, closes in hour_rows.values_list(
        "page_id", "weekday", "opens", "closes"
    ):
        intervals[page_id].append(hours.Interval(weekday, opens, closes))
    licences = merchant_licences(site, ids, city=licence)
    base = site.root_url
    root_path_length = len(site.root_page.url_path) - 1
    found = []
    for pk, title, url_path, street, postcode, town, lat, lng, *rest in rows:
        category, district, note, website, phone, email, published, *offers = rest
        licence, licence_url = licences[pk]
        found.append(
            Merchant(
                id=pk,
                name=title,
                url=base + url_path[root_path_length:],
                street=street,
                postcode=postcode,
                town=town,
                latitude=float(lat) if lat is not None else None,
                longitude=float(lng) if lng is not None else None,
                category=category or "",
                district=district or "",
                opening_hours=hours.osm_syntax(intervals.get(pk, ())),
                opening_hours_note=note,
                website=website,
                phone=phone,
                email=email,
                initiatives=initiatives.get(pk, []),
                offers=[flag.key for flag, has in zip(flags, offers, strict=True) if has],
                last_change=published.isoformat() if published else "",
                licence=licence,
                licence_url=licence_url,
            )
        )
    return found


def as_csv(site: Site, licence: tuple[str, str]) -> bytes:
    """RFC 4180: comma-separated, UTF-8 without BOM, CRLF line ends, a header row; several
    values in one cell separated by "; "."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for merchant in merchants(site, licence):
        row = []
        for column in CSV_COLUMNS:
            value = getattr(merchant, column)
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue().encode()


def as_geojson(site: Site, licence: tuple[str, str]) -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946) with the licence and attribution at the top."""
    features = []
    for merchant in merchants(site, licence):
        properties = {column: getattr(merchant, column) for column in CSV_COLUMNS}
        del properties["latitude"], properties["longitude"]
        geometry = (
            {"type": "Point", "coordinates": [merchant.longitude, merchant.latitude]}
            if merchant.latitude is not None and merchant.longitude is not None
            else None
        )
        features.append(
            {"type": "Feature", "id": merchant.id, "geometry": geometry, "properties": properties}
        )
    return orjson.dumps(
        {
            "type": "FeatureCollection",
            "licence": {"name": licence[0], "url": licence[1]},
            "attribution": attribution(site, licence),
            "features": features,
        }
    )


def attribution(site: Site, licence: tuple[str, str] | None = None) -> str:
    name, _url = licence or city_licence(site)
    return f"{site.site_name or site.hostname}, {name}"


BUILDERS = {"csv": as_csv, "geojson": as_geojson}


@dataclass(frozen=True)
class Export:
    etag: str
    gzipped: bytes | None  # None: only the ETag was needed (If-None-Match matched)


def export_etag(site: Site, kind: str, token: str, licence: tuple[str, str]) -> str:
    raw = "|".join(
        [kind, FORMAT_VERSION, token, str(offer_flags.version()), str(site.pk), site.root_url]
        + list(licence)
    )
    return '"od-' + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest() + '"'


def stored_export(site: Site, kind: str, token: str, *, wanted_etag=None) -> Export:
    """The export's ETag, and its gzipped bytes (from the cache, else built and stored) unless
    `wanted_etag(etag)` says the client has them already."""
    licence = city_licence(site)
    etag = export_etag(site, kind, token, licence)
    if wanted_etag is not None and wanted_etag(etag):
        return Export(etag, None)
    key = "open-data:" + etag.strip('"')
    gzipped = cache.get(key)
    if not isinstance(gzipped, bytes):
        with feed._without_gc():
            body = BUILDERS[kind](site, licence)
        gzipped = gzip.compress(body, feed.COMPRESS_LEVEL, mtime=0)
        cache.set(key, gzipped, timeout=CACHE_SECONDS)
    return Export(etag, gzipped)
