"""Duplicate rules at their thresholds: 30 % vs 31 % edit distance, 2 vs 3 differing words,
99 m vs 101 m; certain matches merged (the initiative added), likely ones queued for review."""

import pytest

from directory.imports.dedupe import METRES_PER_DEGREE, Known, MerchantIndex, similar_names
from directory.imports.services import candidate_resolve
from directory.models import ImportCandidate, MerchantPage

from .conftest import kept_for_the_module
from .factories import MerchantPageFactory
from .import_helpers import CENTRE, csv_text, make_city, run

pytestmark = pytest.mark.django_db


def test_relative_edit_distance_threshold():
    assert similar_names("a" * 70 + "b" * 30, "a" * 100)  # exactly 30 %
    assert not similar_names("a" * 69 + "b" * 31, "a" * 100)  # 31 %


def test_differing_words_threshold():
    assert similar_names("cafe sonne", "cafe sonne am borsigplatz")  # two words more
    assert not similar_names("cafe sonne", "cafe sonne am alten borsigplatz")  # three
    assert not similar_names("kiosk mueller", "baeckerei schmidt")  # nothing in common


@pytest.mark.parametrize(("metres", "found"), [(99, True), (101, False)])
def test_the_same_name_counts_within_100_metres_only(metres, found):
    index = MerchantIndex(CENTRE[0])
    index.add(Known(1, "cafe sonne", CENTRE[0], CENTRE[1]))
    row = Known(0, "cafe sonne", CENTRE[0] + metres / METRES_PER_DEGREE, CENTRE[1])
    match = index.match(row)
    assert (match is not None and match.certain) is found


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        world = make_city()
        MerchantPageFactory(
            parent=world["directory"], title="Kiosk Möller", category=world["kiosk"],
            location="SRID=4326;POINT(7.465300 51.513600)", email="moeller@example.org",
            website="https://www.kiosk-moeller.de/", phone="0231 555666",
        )  # fmt: skip
        yield world


HEADER = "name,lat,lon,category,email,website,phone,id"


@pytest.mark.parametrize(
    "line",
    [
        "Ganz anders,51.52,7.47,Kiosk,MOELLER@example.org,,,x1",  # same e-mail
        "Ganz anders,51.52,7.47,Kiosk,,http://kiosk-moeller.de,,x1",  # same host and path
        "Ganz anders,51.52,7.47,Kiosk,,,+49 231 555666,x1",  # same phone
        "Kiosk Moeller,51.5138,7.4653,Kiosk,,,,x1",  # same folded name, 22 m away
    ],
)
def test_a_certain_duplicate_gets_the_initiative_instead_of_a_new_page(city, line):
    report = run(city["source"], csv_text(HEADER, line))

    assert report.counts["merged"] == 1 and report.counts["created"] == 0
    existing = MerchantPage.objects.get(title="Kiosk Möller")
    assert city["initiative"] in existing.initiatives.all()
    assert not MerchantPage.objects.filter(title="Ganz anders").exists()
    assert run(city["source"], csv_text(HEADER, line)).counts["unchanged"] == 1


def test_a_likely_duplicate_waits_for_a_human_who_merges_creates_or_skips(city, admin_user):
    data = csv_text(HEADER, "Kiosk Möller am Wall,51.5137,7.4654,Kiosk,,,,y1")
    report = run(city["source"], data)

    assert report.counts["review"] == 1 and report.counts["created"] == 0
    candidate = ImportCandidate.objects.get()
    assert candidate.merchant.title == "Kiosk Möller" and candidate.line == 2
    assert run(city["source"], data).counts["review"] == 1
    assert ImportCandidate.objects.count() == 1  # asked once, not on every sync

    created = candidate_resolve(candidate=candidate, action="create", user=admin_user)
    assert created.title == "Kiosk Möller am Wall" and created.live
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == ("created", admin_user)
    assert run(city["source"], data).counts["unchanged"] == 1  # now known by its id


def test_merging_a_candidate_adds_the_initiative(city, admin_user):
    run(city["source"], csv_text(HEADER, "Kiosk Möller am Wall,51.5137,7.4654,Kiosk,,,,y2"))
    merchant = candidate_resolve(
        candidate=ImportCandidate.objects.get(), action="merge", user=admin_user
    )
    assert city["initiative"] in merchant.initiatives.all()
    assert MerchantPage.objects.filter(title__startswith="Kiosk Möller").count() == 1
