"""A new city in one step: its Site and page tree, its one settings object, its districts and
its own editor and moderator groups, whose rights end at the city's tree. Idempotent: what
exists is found by its address (hostname, slug, group name) and left as it is."""

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from core.geo import validate_coordinates
from core.text import german_slugify
from pages.legal import ensure_legal_pages
from pages.models import CitySettings, HomePage, StoryIndexPage

from .accounts.rights import REVIEWERS_GROUP, add_reviewers
from .geo import to_coordinate
from .models import DirectoryPage, District

# Wagtail's global groups: a city's own groups get the same rights, but only on its tree. The
# names are fixed (not translated) so that running create_city again finds them.
GROUP_TEMPLATES = {"Editors": "Redaktion", REVIEWERS_GROUP: "Moderation"}


@dataclass
class CityOutcome:
    site: Site
    created: list[str] = field(default_factory=list)  # what was made now, for the operator

    @property
    def changed(self) -> bool:
        return bool(self.created)


@dataclass(frozen=True)
class DistrictRow:
    name: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None


def _child(parent: Page, model, slug: str, outcome: CityOutcome, **fields) -> Page:
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    outcome.created.append(f"{model._meta.verbose_name}: {page.title}")
    return page


def _home(name: str, slug: str, outcome: CityOutcome) -> HomePage:
    root = Page.get_first_root_node()
    home = root.get_children().filter(slug=slug).specific().first()
    if home is None:
        home = HomePage(
            title=_("%(city)s supports its businesses") % {"city": name},
            slug=slug,
            hero_title=_("%(city)s supports its businesses") % {"city": name},
            hero_text=_(
                "Find the shops, cafés, pubs and stages of your neighbourhood and support them."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        outcome.created.append(_("home page"))
    return home


def _groups(name: str, home: Page, outcome: CityOutcome) -> list[Group]:
    collection = Collection.get_first_root_node()
    city_collection = collection.get_children().filter(name=name).first()
    if city_collection is None:
        city_collection = collection.add_child(name=name)
        outcome.created.append(_("image collection"))
    groups = []
    for template_name, label in GROUP_TEMPLATES.items():
        group, created = Group.objects.get_or_create(name=f"{name}: {label}")
        groups.append(group)
        if template_name == REVIEWERS_GROUP:
            add_reviewers(group)  # also for a group made before: running again mends it
        if not created:
            continue
        outcome.created.append(_("group %(name)s") % {"name": group.name})
        template = Group.objects.filter(name=template_name).first()
        if template is None:
            continue
        # The e-mail list is the installation's, not a city's (mails carry no city): left out.
        group.permissions.set(template.permissions.exclude(content_type__app_label="mailqueue"))
        for grant in GroupPagePermission.objects.filter(group=template):
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=grant.permission
            )
        for grant in GroupCollectionPermission.objects.filter(group=template):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=city_collection, permission=grant.permission
            )
    return groups


@transaction.atomic
def city_create(
    *,
    name: str,
    hostname: str,
    port: int = 80,
    centre: tuple[Decimal, Decimal] | None = None,
    zoom: int | None = None,
    districts: list[DistrictRow] = (),
) -> CityOutcome:
    """Create the city or complete what is missing; what exists keeps its values."""
    name, hostname = name.strip(), hostname.strip().lower()
    if not name or not hostname:
        raise ValidationError(_("A city needs a name and a hostname."))
    if centre is not None:
        centre = (to_coordinate(centre[0]), to_coordinate(centre[1]))  # six decimals, as stored
        validate_coordinates(*centre)
    site = Site.objects.filter(hostname=hostname, port=port).first()
    outcome = CityOutcome(site=site)
    home = site.root_page.specific if site else _home(name, german_slugify(name), outcome)
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            site_name=name,
            is_default_site=not Site.objects.exists(),
        )
        outcome.site = site
        outcome.created.append(_("site %(host)s") % {"host": hostname})

    city, created = CitySettings.objects.get_or_create(site=site, defaults={"city_name": name})
    if created:  # settings that exist are the editors' own: a second run leaves them alone
        if centre:
            city.latitude, city.longitude = centre
        if zoom:
            city.zoom = zoom
        city.full_clean()
        city.save()
        outcome.created.append(_("city settings"))

    _child(
        home,
        DirectoryPage,
        "betriebe",
        outcome,
        title=_("Businesses"),
        show_in_menus=True,
    )
    _child(home, StoryIndexPage, "geschichten", outcome, title=_("Stories"), show_in_menus=True)
    for page in ensure_legal_pages(home, city=city):
        outcome.created.append(page.title)
    for row in districts:
        _district, created = District.objects.get_or_create(
            site=site,
            name=row.name,
            defaults={"latitude": row.latitude, "longitude": row.longitude},
        )
        if created:
            outcome.created.append(_("district %(name)s") % {"name": row.name})
    _groups(name, home, outcome)
    return outcome


def read_districts(text: str) -> list[DistrictRow]:
    """Districts from a CSV (name[,latitude,longitude]) or a GeoJSON FeatureCollection (a name
    property, a Point or the first ring's average as the centre). Raises ValidationError listing
    every bad line."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        return _districts_from_geojson(text)
    rows, errors = [], []
    for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not line or not line[0].strip() or (number == 1 and line[0].strip().lower() == "name"):
            continue
        try:
            rows.append(_district_row(line[0], *(line[1:3] if len(line) >= 3 else ())))
        except (ValidationError, ArithmeticError, ValueError):
            errors.append(_("Line %(line)d: no valid centre.") % {"line": number})
    if errors:
        raise ValidationError(errors)
    return rows


def _district_row(name: str, latitude=None, longitude=None) -> DistrictRow:
    if latitude in (None, "") or longitude in (None, ""):
        return DistrictRow(name.strip())
    latitude, longitude = Decimal(str(latitude).strip()), Decimal(str(longitude).strip())
    validate_coordinates(latitude, longitude)
    return DistrictRow(
        name.strip(),
        latitude.quantize(Decimal("0.000001")),
        longitude.quantize(Decimal("0.000001")),
    )


def _districts_from_geojson(text: str) -> list[DistrictRow]:
    try:
        features = json.loads(text)["features"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValidationError(_("This is not a GeoJSON FeatureCollection.")) from error
    rows, errors = [], []
    for number, feature in enumerate(features, start=1):
        try:
            name = str(feature["properties"]["name"]).strip()
            geometry = feature.get("geometry") or {}
            points = {
                "Point": lambda c: [c],
                "Polygon": lambda c: c[0],
                "MultiPolygon": lambda c: c[0][0],
            }[geometry.get("type", "Point")](geometry.get("coordinates"))
            longitude = sum(Decimal(str(p[0])) for p in points) / len(points)
            latitude = sum(Decimal(str(p[1])) for p in points) / len(points)
            if not name:
                raise ValueError
            rows.append(_district_row(name, latitude, longitude))
        except (ValidationError, ArithmeticError, ValueError, KeyError, TypeError, IndexError):
            errors.append(
                _("Feature %(number)d: no name or no valid geometry.") % {"number": number}
            )
    if errors:
        raise ValidationError(errors)
    return rows
