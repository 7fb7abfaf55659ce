"""The import screens keep to the editor's own city: an editor of Bochum uploads only for
Bochum, cannot run, watch or decide Dortmund's imports, and the dry run writes nothing. Both runs
are background jobs whose page shows their state until the report is there."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Site

from directory.cities import city_create
from directory.models import Category, ImportCandidate, ImportJob, ImportSource, MerchantPage

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db

CSV = (
    "Name;Straße;PLZ;Ort;Breitengrad;Längengrad;Kategorie;ID\n"
    "Büdchen Kortum;Kortumstraße 1;44787;Bochum;51,4818;7,2162;Kiosk;k1\n"
    ";Ohne Namen;44787;Bochum;51,4818;7,2162;Kiosk;k2\n"
)


@pytest.fixture
def cities(home_page):
    dortmund = Site.objects.get(is_default_site=True)
    city_create(name="Dortmund", hostname=dortmund.hostname, port=dortmund.port)
    bochum = city_create(
        name="Bochum", hostname="bochum.example.org", centre=(51.4818, 7.2162)
    ).site
    Category.objects.create(name="Kiosk")
    editor = get_user_model().objects.create_user("bochum", "b@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Bochum: Redaktion"))
    return dortmund, bochum, editor


def upload(client, site, follow=True, **extra):
    data = {
        "site": site.pk,
        "name": "Bochum hilft",
        "format": "csv",
        "file": SimpleUploadedFile("b.csv", CSV.encode(), content_type="text/csv"),
        **extra,
    }
    return client.post("/admin/imports/", data, follow=follow)


def run_job(capture, client, post):
    """A POST that starts a job, its task run as the request commits, then the job's page."""
    with capture(execute=True):
        response = post()
    assert response.status_code == 302
    return client.get(response["Location"])


def test_the_preview_reports_and_writes_nothing_then_the_import_keeps_the_good_row(
    client, cities, django_capture_on_commit_callbacks
):
    _dortmund, bochum, editor = cities
    client.force_login(editor)
    preview = run_job(
        django_capture_on_commit_callbacks, client, lambda: upload(client, bochum, follow=False)
    )
    body = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-count="created">1<' in body and 'data-count="error">1<' in body
    assert "Zeile 3" in body and 'http-equiv="refresh"' not in body
    assert not MerchantPage.objects.filter(title="Büdchen Kortum").exists()
    source = ImportSource.objects.get(name="Bochum hilft")
    done = run_job(
        django_capture_on_commit_callbacks,
        client,
        lambda: client.post(f"/admin/imports/{source.pk}/run/"),
    )
    assert 'data-count="created">1<' in done.content.decode()
    page = MerchantPage.objects.get(title="Büdchen Kortum")
    assert page.get_site() == bochum and page.live


def test_a_waiting_job_says_so_and_a_second_import_of_the_source_must_wait(client, cities):
    _dortmund, bochum, editor = cities
    client.force_login(editor)
    upload(client, bochum)  # the task is not run: no commit in this test
    source = ImportSource.objects.get(name="Bochum hilft")
    client.post(f"/admin/imports/{source.pk}/run/")
    job = ImportJob.objects.get(dry_run=False)
    waiting = client.get(f"/admin/imports/jobs/{job.pk}/").content.decode()
    assert 'data-job-status="queued"' in waiting and 'http-equiv="refresh"' in waiting

    again = client.post(f"/admin/imports/{source.pk}/run/", follow=True).content.decode()
    assert "läuft schon" in again
    assert f'href="/admin/imports/jobs/{job.pk}/"' in again  # the upload page lists the runs
    assert ImportJob.objects.filter(dry_run=False).count() == 1

    # A worker that died under a job leaves it "running": after a while it holds nothing up.
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", created_at=timezone.now() - timedelta(hours=7)
    )
    client.post(f"/admin/imports/{source.pk}/run/")
    assert ImportJob.objects.filter(dry_run=False).count() == 2


def test_only_the_own_city_is_offered_and_accepted(client, cities):
    dortmund, bochum, editor = cities
    client.force_login(editor)
    form = client.get("/admin/imports/").content.decode()
    assert f'value="{bochum.pk}"' in form and f'value="{dortmund.pk}"' not in form
    refused = upload(client, dortmund)
    assert refused.status_code == 400
    assert not ImportSource.objects.exists()


def test_another_citys_source_and_duplicates_are_out_of_reach(client, cities):
    dortmund, _bochum, editor = cities
    source = ImportSource.objects.create(site=dortmund, name="Dortmund", format="csv")
    directory = dortmund.root_page.get_children().get(slug="betriebe")
    candidate = ImportCandidate.objects.create(
        source=source,
        row={"name": "X"},
        line=2,
        merchant=MerchantPageFactory(parent=directory),
        reason="near",
    )
    job = ImportJob.objects.create(source=source)
    client.force_login(editor)
    assert client.post(f"/admin/imports/{source.pk}/run/").status_code == 404
    assert client.get(f"/admin/imports/jobs/{job.pk}/").status_code == 404
    assert (
        client.post(f"/admin/imports/review/{candidate.pk}/", {"action": "skip"}).status_code == 404
    )
    assert "import-candidate" not in client.get("/admin/imports/review/").content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "open"
    source.refresh_from_db()
    assert source.last_run_at is None


def test_a_merchant_cannot_import_or_create_cities(client, cities, django_user_model):
    _dortmund, bochum, editor = cities
    client.force_login(editor)
    assert client.get("/admin/cities/new/").status_code in (302, 403)
    assert not Site.objects.filter(hostname="herne.example.org").exists()
