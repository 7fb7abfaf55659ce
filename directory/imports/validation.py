"""One imported row checked and turned into a merchant's fields, or the reasons it cannot be."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from core.text import german_slugify

from .. import geo
from ..hours import Interval
from ..models import Category, District
from .dedupe import metres_between, normal_name
from .osm_hours import parse_hours

MAX_KM_FROM_CENTRE = 30
# A merchant is placed in the district whose centre is nearest, if one is as near as this: the
# districts are known by their centres only, and a row far from all of them belongs to none.
MAX_KM_FROM_DISTRICT = 5
validate_url = URLValidator(schemes=["http", "https"])


@dataclass
class CleanRow:
    external_id: str
    name: str
    street: str
    postcode: str
    town: str
    latitude: Decimal
    longitude: Decimal
    category: Category
    district: District | None = None
    website: str = ""
    email: str = ""
    phone: str = ""
    description: str = ""
    intervals: list[Interval] = field(default_factory=list)
    hours_note: str = ""
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""  # of the row's fields: unchanged rows leave the merchant alone


class RowError(Exception):
    """The row cannot become a merchant; the message says why, for the report."""


class Categories:
    """The categories by name and slug (case-insensitively), created on request."""

    def __init__(self, *, create: bool):
        self.create = create
        self.known: dict[str, Category] = {}
        for category in Category.objects.all():
            self.known[category.name.casefold()] = category
            self.known[category.slug] = category
        self.created: list[str] = []

    def get(self, name: str) -> Category:
        if not name:
            raise RowError(_("No category."))
        found = self.known.get(name.casefold()) or self.known.get(german_slugify(name))
        if found:
            return found
        if not self.create:
            raise RowError(
                _("Unknown category '%(name)s' (map it, or import with --create-categories).")
                % {"name": name}
            )
        category = Category.objects.create(name=name[:100])
        self.known[name.casefold()] = self.known[category.slug] = category
        self.created.append(category.name)
        return category


class Districts:
    """The city's districts: the one a row names, else the one whose centre is nearest."""

    def __init__(self, site):
        districts = list(District.objects.filter(site=site))
        self.named = {district.name.casefold(): district for district in districts}
        self.placed = [d for d in districts if d.latitude is not None and d.longitude is not None]

    def get(self, name: str, latitude: Decimal, longitude: Decimal, warnings: list[str]):
        if name:
            found = self.named.get(name.casefold())
            if found:
                return found
            warnings.append(
                _("Unknown district '%(name)s': placed by its position.") % {"name": name}
            )
        lat, lng = float(latitude), float(longitude)
        distance, nearest = min(
            (
                (metres_between(lat, lng, float(d.latitude), float(d.longitude)), d)
                for d in self.placed
            ),
            default=(0.0, None),
            key=lambda pair: pair[0],
        )
        return nearest if distance <= MAX_KM_FROM_DISTRICT * 1000 else None


def _coordinates(fields: dict, centre) -> tuple[Decimal, Decimal]:
    lat, lng = fields.get("lat", ""), fields.get("lon", "")
    if not lat or not lng:
        raise RowError(_("Coordinates missing."))
    try:
        latitude = geo.to_coordinate(lat.replace(",", "."))
        longitude = geo.to_coordinate(lng.replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise RowError(
            _("Coordinates not a number: %(lat)s, %(lon)s") % {"lat": lat, "lon": lng}
        ) from error
    try:
        geo.validate_coordinates(latitude, longitude)
    except ValidationError as error:
        raise RowError(" ".join(error.messages)) from error
    km = (
        metres_between(float(latitude), float(longitude), float(centre[0]), float(centre[1])) / 1000
    )
    if km > MAX_KM_FROM_CENTRE:
        raise RowError(
            _("Coordinates %(lat)s, %(lon)s lie %(km)d km from the city centre (at most %(max)d).")
            % {"lat": latitude, "lon": longitude, "km": km, "max": MAX_KM_FROM_CENTRE}
        )
    return latitude, longitude


def _website(value: str) -> str:
    if not value:
        return ""
    url = value if "://" in value else f"https://{value}"
    try:
        validate_url(url)
    except ValidationError as error:
        raise RowError(_("Not a web address: %(value)s") % {"value": value}) from error
    if len(url) > 200:
        raise RowError(_("Web address longer than 200 characters."))
    return url


def _email(value: str) -> str:
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as error:
        raise RowError(_("Not an e-mail address: %(value)s") % {"value": value}) from error
    return value


def clean_row(
    fields: dict,
    *,
    line: int,
    centre,
    categories: Categories,
    town: str,
    districts: Districts | None = None,
) -> CleanRow:
    """Raises RowError with the first reason the row cannot be imported."""
    name = fields.get("name", "")
    if not name:
        raise RowError(_("Name missing."))
    if len(name) > 255:
        raise RowError(_("Name longer than 255 characters."))
    latitude, longitude = _coordinates(fields, centre)
    category = categories.get(fields.get("category", ""))
    website, email = _website(fields.get("website", "")), _email(fields.get("email", ""))
    hours = parse_hours(fields.get("opening_hours", ""))
    warnings = [hours.warning] if hours.warning else []
    district = (
        districts.get(fields.get("district", ""), latitude, longitude, warnings)
        if districts
        else None
    )
    fingerprint = hashlib.sha256(
        json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return CleanRow(
        # Without an id, name and place stand for the record (stable across re-imports,
        # unlike the line number).
        external_id=(fields.get("id") or f"{normal_name(name)}@{latitude:.4f},{longitude:.4f}")[
            :200
        ],
        name=name,
        street=fields.get("street", "")[:200],
        postcode=fields.get("postcode", "")[:10],
        town=(fields.get("town") or town)[:100],
        latitude=latitude,
        longitude=longitude,
        category=category,
        district=district,
        website=website,
        email=email,
        phone=fields.get("phone", "")[:40],
        description=fields.get("description", "")[:300],
        intervals=hours.intervals,
        hours_note=hours.note,
        warnings=warnings,
        fingerprint=fingerprint,
    )
