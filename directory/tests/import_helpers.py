"""The city an import test imports into: Dortmund with its directory, two categories, a partner
initiative and a CSV source of it (the city settings' default centre: 51.5136, 7.4653)."""

import json

from django.utils import translation
from wagtail.models import Site

from conftest import make_directory_page, make_home_page
from directory.imports.parsers import parse
from directory.imports.services import import_rows
from directory.models import Category, ImportSource, Initiative

CENTRE = (51.5136, 7.4653)


def make_city() -> dict:
    directory = make_directory_page(make_home_page())
    site = Site.objects.get(is_default_site=True)
    cafe = Category.objects.create(name="Café")
    kiosk = Category.objects.create(name="Kiosk")
    initiative = Initiative.objects.create(name="Borussia verbindet", hashtag="#BorussiaVerbindet")
    source = ImportSource.objects.create(
        site=site,
        name="Partnerliste",
        initiative=initiative,
        format="csv",
        licence="CC BY 4.0",
        attribution="Borussia verbindet e. V.",
    )
    return {
        "site": site,
        "directory": directory,
        "cafe": cafe,
        "kiosk": kiosk,
        "initiative": initiative,
        "source": source,
    }


def run(source, data, fmt="csv", **options):
    """Import in English, so that the tests' expected reasons hold once German is added."""
    with translation.override("en"):
        return import_rows(source=source, rows=parse(data, fmt), **options)


def csv_text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def reasons(report) -> dict[int, str]:
    return {problem.line: problem.reason for problem in report.errors}


def overpass(*elements) -> str:
    return json.dumps({"version": 0.6, "elements": list(elements)})
