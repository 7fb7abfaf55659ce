"""Re-imports, dry runs, a row failing half-way, opening hours, the attribution on the page,
the command and the scheduled sync (directory/imports)."""

import json
from datetime import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models.signals import post_save
from django.utils import translation
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision, Site

from directory.imports.jobs import job_run
from directory.models import (
    District,
    ImportJob,
    ImportSource,
    MerchantPage,
    MerchantSourceRecord,
)

from .conftest import kept_for_the_module
from .import_helpers import csv_text, make_city, run

pytestmark = pytest.mark.django_db
HEADER = "id,name,street,lat,lon,category,opening_hours"


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield make_city()


def test_a_reimport_updates_by_external_id_instead_of_duplicating(city):
    run(city["source"], csv_text(HEADER, "r1,Eisdiele Venezia,Markt 1,51.514,7.466,Café,"))
    report = run(city["source"], csv_text(HEADER, "r1,Eiscafé Venezia,Markt 2,51.514,7.466,Café,"))

    assert report.counts["updated"] == 1 and report.counts["created"] == 0
    page = MerchantPage.objects.get(source_records__external_id="r1")
    assert (page.title, page.street) == ("Eiscafé Venezia", "Markt 2")
    assert page.live_revision.as_object().title == "Eiscafé Venezia"
    again = run(city["source"], csv_text(HEADER, "r1,Eiscafé Venezia,Markt 2,51.514,7.466,Café,"))
    assert again.counts["unchanged"] == 1


def test_a_dry_run_reports_and_writes_nothing(city):
    pages, revisions = Page.objects.count(), Revision.objects.count()
    report = run(city["source"], csv_text(HEADER, "d1,Probe,Weg 1,51.514,7.466,Café,", "d2,,,,,,"),
                 dry_run=True)  # fmt: skip

    assert report.dry_run and report.counts["created"] == 1 and report.counts["error"] == 1
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    assert not MerchantSourceRecord.objects.filter(external_id="d1").exists()
    city["source"].refresh_from_db()
    assert city["source"].last_run_at is None


def test_a_row_failing_half_way_leaves_nothing_and_the_next_row_is_kept(city):
    def fail(sender, instance, **kwargs):  # after its page, hours, revision and log entries
        if instance.external_id == "f1":
            raise RuntimeError("disk full")

    post_save.connect(fail, sender=MerchantSourceRecord, dispatch_uid="test-fail")
    try:
        report = run(city["source"], csv_text(
            HEADER, "f1,Kaputt,Weg 1,51.514,7.466,Café,Mo 09:00-12:00", "f2,Heil,Weg 2,51.515,7.466,Café,",  # noqa: E501
        ))  # fmt: skip
    finally:
        post_save.disconnect(sender=MerchantSourceRecord, dispatch_uid="test-fail")

    assert report.counts == {**report.counts, "created": 1, "error": 1}
    assert "disk full" in report.errors[0].reason and report.errors[0].line == 2
    assert not Page.objects.filter(title="Kaputt").exists()
    assert not Revision.objects.filter(object_str="Kaputt").exists()
    assert not PageLogEntry.objects.filter(label="Kaputt").exists()
    history = PageLogEntry.objects.filter(page__title="Heil").order_by("pk")
    assert [entry.action for entry in history] == ["wagtail.create", "wagtail.publish"]
    directory = Page.objects.get(pk=city["directory"].pk)
    assert directory.numchild == directory.get_children().count() >= 1
    assert Page.find_problems() == ([], [], [], [], [])  # the tree is sound


def test_opening_hours_structured_and_what_does_not_fit_kept_as_note(city):
    report = run(city["source"], csv_text(
        HEADER,
        'h1,Nachtbar,Weg 1,51.514,7.466,Café,"Fr-Sa 20:00-03:00"',
        'h2,Gartencafé,Weg 2,51.515,7.466,Café,"sunrise-sunset"',
        'h3,Chaos,Weg 3,51.516,7.466,Café,"wenn wir da sind"',
    ))  # fmt: skip

    bar = MerchantPage.objects.get(title="Nachtbar")
    assert [(h.weekday, h.opens, h.closes) for h in bar.opening_hours.order_by("weekday")] == [
        (4, time(20), time(3)), (5, time(20), time(3))
    ]  # fmt: skip
    assert bar.hours_note == ""
    for title, text in (("Gartencafé", "sunrise-sunset"), ("Chaos", "wenn wir da sind")):
        page = MerchantPage.objects.get(title=title)
        assert page.hours_note == text and not page.opening_hours.exists()
    assert [w.line for w in report.warnings] == [3, 4]
    assert report.counts["created"] == 3


def test_an_imported_merchants_revision_is_the_page_as_saved(city):
    run(city["source"], csv_text(HEADER, 'v1,Rev-Café,Weg 1,51.514,7.466,Café,"Mo 09:00-12:00"'))

    page = MerchantPage.objects.get(title="Rev-Café")
    revision_fields = ("live_revision", "latest_revision", "latest_revision_created_at")

    def without_them(content):
        return {k: v for k, v in content.items() if k not in revision_fields}

    assert without_them(page.live_revision.content) == without_them(json.loads(page.to_json()))
    assert len(page.live_revision.content["opening_hours"]) == 1
    assert page.live_revision.content["initiatives"] == [city["initiative"].pk]


def test_imported_merchants_are_searchable_and_their_category_usage_counted_once_committed(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(city["source"], csv_text(HEADER, "x1,Wunderlampe,Weg 9,51.514,7.466,Kiosk,"))

    page = MerchantPage.objects.get(title="Wunderlampe")
    assert list(MerchantPage.objects.live().search("Wunderlampe")) == [page]
    usage = ReferenceIndex.get_references_to(city["kiosk"])
    assert usage.filter(object_id=str(page.pk)).exists()


def test_merchants_are_placed_in_the_district_named_or_else_the_nearest(city):
    west = District.objects.create(
        site=city["site"], name="Innenstadt-West", latitude="51.5140", longitude="7.4600"
    )
    horde = District.objects.create(
        site=city["site"], name="Hörde", latitude="51.4800", longitude="7.5000"
    )
    bochum = Site.objects.create(hostname="bochum.test", root_page=city["directory"])
    District.objects.create(site=bochum, name="Mitte", latitude="51.514", longitude="7.466")
    report = run(city["source"], csv_text(
        HEADER + ",Stadtteil",
        "q1,Named,Weg 1,51.514,7.466,Café,,hörde",
        "q2,Near,Weg 2,51.514,7.466,Café,,",
        "q3,Misnamed,Weg 3,51.481,7.499,Café,,Atlantis",
        "q4,Far out,Weg 4,51.600,7.300,Café,,",
    ))  # fmt: skip

    district = {p.title: p.district for p in MerchantPage.objects.filter(title__in=[
        "Named", "Near", "Misnamed", "Far out"])}  # fmt: skip
    assert district == {"Named": horde, "Near": west, "Misnamed": horde, "Far out": None}
    assert [w.reason for w in report.warnings] == [
        "Unknown district 'Atlantis': placed by its position."
    ]


def test_the_map_feed_shows_imported_merchants_at_once(city, client):
    def names():
        features = json.loads(client.get("/api/map/merchants.geojson").content)["features"]
        return {feature["properties"]["name"] for feature in features}

    assert "Frischer Kiosk" not in names()  # the feed is cached now
    run(city["source"], csv_text(HEADER, "k1,Frischer Kiosk,Weg 5,51.514,7.466,Kiosk,"))
    assert "Frischer Kiosk" in names()


def test_the_merchant_page_names_its_source_and_licence(city, client):
    run(city["source"], csv_text(HEADER, "s1,Quellenkiosk,Weg 1,51.514,7.466,Kiosk,"))
    page = MerchantPage.objects.get(title="Quellenkiosk")
    html = client.get(page.url).content.decode()
    assert "Partnerliste – Borussia verbindet e. V." in html and "CC BY 4.0" in html
    assert "registrieren/eintrag" in html  # unowned: the claim link


def test_the_command_end_to_end(city, tmp_path):
    file = tmp_path / "osm.json"
    file.write_text(
        '{"elements": [{"type": "node", "id": 7, "lat": 51.513, "lon": 7.465,'
        ' "tags": {"amenity": "cafe", "name": "OSM-Café"}},'
        ' {"type": "node", "id": 8, "lat": 0, "lon": 0, "tags": {"amenity": "cafe", "name": "X"}}]}'
    )
    out = __import__("io").StringIO()
    with translation.override("en"):
        call_command(
            "import_merchants", str(file), city="Dortmund", initiative=city["initiative"].slug,
            format="osm", source="OpenStreetMap", licence="ODbL 1.0",
            attribution="© OpenStreetMap-Mitwirkende", stdout=out,
        )  # fmt: skip
    text = out.getvalue()
    assert "created: 1" in text and "error: 1" in text and "line 2: error: 0/0" in text
    source = ImportSource.objects.get(name="OpenStreetMap")
    assert source.licence == "ODbL 1.0" and source.last_report["counts"]["created"] == 1
    assert MerchantPage.objects.get(title="OSM-Café").source_records.get().source == source


def test_the_sync_imports_a_due_source_from_its_file_and_records_the_report(city):
    source = ImportSource.objects.create(site=city["site"], name="Stadtliste", format="csv",
                                         refresh_hours=24)  # fmt: skip
    source.file.save(
        "liste.csv", ContentFile(csv_text(HEADER, "z1,Zeitungsbude,Weg 1,51.514,7.466,Kiosk,"))
    )
    out = __import__("io").StringIO()
    call_command("sync_import_sources", stdout=out)

    source.refresh_from_db()
    assert source.last_report["counts"]["created"] == 1 and source.last_run_at is not None
    assert MerchantPage.objects.filter(title="Zeitungsbude").exists()
    assert "Synced 1 import source(s)" in out.getvalue()
    call_command("sync_import_sources", stdout=out)  # not due again for a day
    source.refresh_from_db()
    assert source.last_report["counts"]["created"] == 1
    assert "Synced 0 import source(s)" in out.getvalue().splitlines()[-1]


def test_an_import_job_runs_once_and_an_unreadable_source_ends_it_with_the_reason(city):
    source = city["source"]
    row = "j1,Jobkiosk,Weg 1,51.514,7.466,Kiosk,"
    source.file.save("liste.csv", ContentFile(csv_text(HEADER, row)))
    job = ImportJob.objects.create(source=source, dry_run=False)

    assert job_run(job.pk).startswith("done")
    assert job_run(job.pk) == "not waiting"  # a second worker, or a retry: nothing twice
    job.refresh_from_db()
    assert job.report["counts"]["created"] == 1 and job.finished_at is not None
    assert MerchantPage.objects.filter(title="Jobkiosk").count() == 1

    source.file = ""
    source.save()
    broken = ImportJob.objects.create(source=source, dry_run=False)
    job_run(broken.pk)
    broken.refresh_from_db()
    assert (
        broken.status == "failed" and "weder eine Adresse noch eine Datei" in broken.report["fatal"]
    )
