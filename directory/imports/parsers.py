"""Read a partner's file into rows of one shape: (line, fields) with the keys of FIELDS.

A row that cannot be read is a row with an `error`, never the end of the file; only a file that
cannot be read at all (not UTF-8, not JSON, no header) raises UnreadableFile."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Our field names, and the CSV / GeoJSON headers that mean them (compared case-insensitively,
# spaces, dashes and underscores ignored): English first, then German.
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "external_id", "ID", "Kennung"),
    "name": ("name", "Name", "Betrieb"),
    "street": ("street", "address", "Straße", "Strasse", "Adresse"),
    "postcode": ("postcode", "zip", "PLZ", "Postleitzahl"),
    "town": ("town", "city", "Ort", "Stadt"),
    "lat": ("lat", "latitude", "Breitengrad", "Breite"),
    "lon": ("lon", "lng", "longitude", "Längengrad", "Länge"),
    "category": ("category", "Kategorie", "Branche"),
    "district": ("district", "Stadtteil", "Stadtbezirk", "Bezirk"),
    "website": ("website", "url", "Webseite", "Website", "Internet"),
    "email": ("email", "e-mail", "E-Mail", "Mail"),
    "phone": ("phone", "Telefon", "Tel"),
    "opening_hours": ("opening_hours", "hours", "Öffnungszeiten"),
    "description": ("description", "Beschreibung"),
}


def _key(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch not in " -_.")


HEADER_KEYS = {_key(alias): name for name, aliases in FIELDS.items() for alias in aliases}


class UnreadableFile(Exception):
    """The file as a whole cannot be read: nothing was imported."""


@dataclass
class Row:
    line: int  # line in a CSV file, position (1-based) in a GeoJSON or OSM list
    fields: dict[str, str] = field(default_factory=dict)
    error: str = ""


def _clean(value) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(_("The file is not UTF-8 text.")) from error


def parse_csv(data: bytes | str) -> Iterator[Row]:
    """Comma- or semicolon-separated (as Excel saves German CSV), with a header row."""
    text = _decode(data)
    # The header decides the delimiter: csv.Sniffer guesses from values too, and opening
    # hours ("Mo-Fr 09:00-18:00; Sa 10:00-14:00") are full of semicolons.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise UnreadableFile(_("The file has no header row.")) from error
    columns = [HEADER_KEYS.get(_key(name)) for name in header]
    if "name" not in columns:
        raise UnreadableFile(
            _("The header row has no 'name' (or 'Name') column: %(header)s")
            % {"header": ", ".join(header)}
        )
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Row(reader.line_num, error=_("Unreadable line: %(error)s") % {"error": error})
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(columns):
            yield Row(reader.line_num, error=_("More values than columns."))
            continue
        fields = {col: _clean(v) for col, v in zip(columns, values, strict=False) if col}
        yield Row(reader.line_num, fields)


def _load_json(data: bytes | str):
    try:
        return json.loads(_decode(data))
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _("The file is not valid JSON: %(error)s") % {"error": error}
        ) from error


def parse_geojson(data: bytes | str) -> Iterator[Row]:
    """A FeatureCollection of Point features; the properties use the CSV's column names."""
    document = _load_json(data)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise UnreadableFile(_("The file is not a GeoJSON FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list):
        raise UnreadableFile(_("The FeatureCollection has no list of features."))
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            yield Row(number, error=_("Not a GeoJSON feature."))
            continue
        properties = feature.get("properties") or {}
        fields = {
            HEADER_KEYS[_key(k)]: _clean(v)
            for k, v in properties.items()
            if _key(k) in HEADER_KEYS and not isinstance(v, dict | list)
        }
        if feature.get("id") is not None and not fields.get("id"):
            fields["id"] = _clean(feature["id"])
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or []
            if len(coordinates) >= 2:
                fields["lon"], fields["lat"] = _clean(coordinates[0]), _clean(coordinates[1])
        elif geometry:
            yield Row(
                number,
                fields,
                _("Only Point geometries are imported, not %(type)s.")
                % {"type": geometry.get("type")},
            )
            continue
        yield Row(number, fields)


# OSM tags -> our category names; an element's first matching key wins. Values not listed
# become "shop=<value>" etc., matched against the categories' names and slugs like any other.
OSM_AMENITIES = {
    "cafe": "Café",
    "ice_cream": "Café",
    "bar": "Kneipe/Bar",
    "pub": "Kneipe/Bar",
    "biergarten": "Kneipe/Bar",
    "restaurant": "Restaurant",
    "fast_food": "Restaurant",
    "theatre": "Theater & Kultur",
    "arts_centre": "Theater & Kultur",
    "cinema": "Theater & Kultur",
    "nightclub": "Theater & Kultur",
}
OSM_SHOPS = {
    "kiosk": "Kiosk",
    "newsagent": "Kiosk",
    "bakery": "Lebensmittel",
    "butcher": "Lebensmittel",
    "greengrocer": "Lebensmittel",
    "deli": "Lebensmittel",
    "organic": "Lebensmittel",
    "convenience": "Lebensmittel",
    "supermarket": "Lebensmittel",
    "hairdresser": "Dienstleistung",
    "beauty": "Dienstleistung",
    "tailor": "Dienstleistung",
    "laundry": "Dienstleistung",
}
OSM_DEFAULTS = {"shop": "Einzelhandel", "craft": "Dienstleistung"}


def osm_category(tags: dict) -> str:
    amenity = tags.get("amenity")
    if amenity:
        return OSM_AMENITIES.get(amenity, f"amenity={amenity}")
    shop = tags.get("shop")
    if shop:
        return OSM_SHOPS.get(shop, OSM_DEFAULTS["shop"])
    if tags.get("craft"):
        return OSM_DEFAULTS["craft"]
    return ""


def _osm_street(tags: dict) -> str:
    street = tags.get("addr:street", "")
    number = tags.get("addr:housenumber", "")
    return f"{street} {number}".strip() or tags.get("addr:place", "")


def _first(tags: dict, *keys: str) -> str:
    for key in keys:
        if tags.get(key):
            return _clean(tags[key])
    return ""


def parse_osm(data: bytes | str) -> Iterator[Row]:
    """Overpass JSON (`[out:json]`): nodes with lat/lon, ways and relations with `center`
    (`out center;`). Elements without a shop, amenity or craft tag are left out silently:
    they are the members of ways (plain nodes), not businesses."""
    document = _load_json(data)
    if not isinstance(document, dict) or not isinstance(document.get("elements"), list):
        raise UnreadableFile(_("The file is not Overpass JSON (no 'elements' list)."))
    for number, element in enumerate(document["elements"], start=1):
        if not isinstance(element, dict):
            yield Row(number, error=_("Not an OSM element."))
            continue
        tags = element.get("tags") or {}
        if not any(tags.get(key) for key in ("shop", "amenity", "craft")):
            continue
        kind, osm_id = element.get("type", ""), element.get("id", "")
        point = element if kind == "node" else element.get("center") or {}
        fields = {
            "id": f"{kind}/{osm_id}",
            "name": _clean(tags.get("name")),
            "street": _osm_street(tags),
            "postcode": _clean(tags.get("addr:postcode")),
            "town": _clean(tags.get("addr:city")),
            "lat": _clean(point.get("lat")),
            "lon": _clean(point.get("lon")),
            "category": osm_category(tags),
            "district": _first(tags, "addr:suburb", "addr:district"),
            "website": _first(tags, "website", "contact:website", "url"),
            "email": _first(tags, "email", "contact:email"),
            "phone": _first(tags, "phone", "contact:phone"),
            "opening_hours": _clean(tags.get("opening_hours")),
            "description": _clean(tags.get("description")),
        }
        yield Row(number, fields)


PARSERS = {"csv": parse_csv, "geojson": parse_geojson, "osm": parse_osm}


def parse(data: bytes | str, format: str) -> list[Row]:  # noqa: A002 - the source's field
    try:
        parser = PARSERS[format]
    except KeyError as error:
        raise UnreadableFile(_("Unknown format %(format)s.") % {"format": format}) from error
    return list(parser(data))
