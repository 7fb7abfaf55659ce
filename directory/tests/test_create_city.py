"""create_city: a second city in one step, with its own tree, settings, districts and groups;
running it twice changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import GroupPagePermission, Page, Site

from directory.cities import city_create, read_districts
from directory.forms import RegistrationForm
from directory.models import DirectoryPage, District
from pages.models import CitySettings, LegalPage, StoryIndexPage

from .factories import DistrictFactory

pytestmark = pytest.mark.django_db

DISTRICTS_CSV = "name,latitude,longitude\nWattenscheid,51.4827,7.1395\nLinden,51.4155,7.1717\n"


def snapshot():
    return {
        "sites": list(Site.objects.values_list("hostname", "root_page_id")),
        "pages": list(Page.objects.values_list("path", "title", "live")),
        "settings": list(CitySettings.objects.values_list("site_id", "city_name", "latitude")),
        "districts": list(District.objects.values_list("site_id", "name")),
        "groups": list(Group.objects.values_list("name", flat=True)),
        "page_grants": GroupPagePermission.objects.count(),
    }


def create_bochum(tmp_path, *extra):
    districts = tmp_path / "bochum.csv"
    districts.write_text(DISTRICTS_CSV, encoding="utf-8")
    out = StringIO()
    call_command(
        "create_city",
        "Bochum",
        "--hostname=bochum.example.org",
        "--centre=51.48,7.22",
        "--zoom=12",
        f"--districts={districts}",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_creates_the_whole_city(home_page, tmp_path):
    DistrictFactory(name="Hörde")  # Dortmund's: never copied
    output = create_bochum(tmp_path)
    site = Site.objects.get(hostname="bochum.example.org")
    home = site.root_page.specific
    assert "Bochum" in output
    assert site.site_name == "Bochum" and not site.is_default_site
    assert DirectoryPage.objects.child_of(home).live().count() == 1
    assert StoryIndexPage.objects.child_of(home).live().count() == 1
    assert set(LegalPage.objects.child_of(home).live().values_list("kind", flat=True)) == {
        "imprint",
        "privacy",
        "terms",
    }
    city = CitySettings.for_site(site)
    assert (city.city_name, city.latitude, city.longitude, city.zoom) == (
        "Bochum",
        Decimal("51.48"),
        Decimal("7.22"),
        12,
    )
    assert sorted(District.objects.filter(site=site).values_list("name", flat=True)) == [
        "Linden",
        "Wattenscheid",
    ]
    editors = Group.objects.get(name="Bochum: Redaktion")
    assert Group.objects.filter(name="Bochum: Moderation").exists()
    assert {g.page_id for g in GroupPagePermission.objects.filter(group=editors)} == {home.pk}
    # Wagtail's Editors' rights, without the installation's e-mail list.
    global_rights = Group.objects.get(name="Editors").permissions.exclude(
        content_type__app_label="mailqueue"
    )
    assert set(editors.permissions.all()) == set(global_rights)
    assert not editors.permissions.filter(content_type__app_label="mailqueue").exists()


def test_running_it_twice_changes_nothing(home_page, tmp_path):
    create_bochum(tmp_path)
    before = snapshot()
    output = create_bochum(tmp_path)
    assert "nothing changed" in output
    assert snapshot() == before


def test_a_second_run_keeps_what_editors_changed(home_page, tmp_path):
    create_bochum(tmp_path)
    city = CitySettings.for_site(Site.objects.get(hostname="bochum.example.org"))
    city.zoom, city.tagline = 14, "Bochum hält zusammen"
    city.save()
    create_bochum(tmp_path)
    city.refresh_from_db()
    assert (city.zoom, city.tagline) == (14, "Bochum hält zusammen")


def test_the_new_city_answers_with_its_own_name_and_map(home_page, tmp_path, client):
    create_bochum(tmp_path)
    page = client.get("/betriebe/", HTTP_HOST="bochum.example.org")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-lat="51.480000"' in html and 'data-zoom="12"' in html
    assert "Dortmund" not in html


def test_registration_offers_only_the_citys_districts(home_page, tmp_path):
    hoerde = DistrictFactory(name="Hörde")
    create_bochum(tmp_path)
    bochum = Site.objects.get(hostname="bochum.example.org")
    form = RegistrationForm(site=bochum, data={"district": hoerde.pk})
    assert [d.name for d in form.fields["district"].queryset] == ["Linden", "Wattenscheid"]
    form.is_valid()
    assert "district" in form.errors  # another city's id is refused


def test_same_district_name_in_two_cities(home_page, tmp_path):
    DistrictFactory(name="Linden")
    create_bochum(tmp_path)
    assert District.objects.filter(name="Linden").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--centre=0,0"], "0/0"),
        (["--centre=91,7"], "91"),
        (["--centre=abc"], "latitude,longitude"),
        (["--zoom=30"], "18"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(home_page, args, message):
    before = snapshot()
    with pytest.raises((CommandError, SystemExit)) as error:
        call_command(
            "create_city", "Herne", "--hostname=herne.example.org", *args, stderr=StringIO()
        )
    if error.type is CommandError:
        assert message in str(error.value)
    assert snapshot() == before


def test_district_files_report_every_bad_line():
    with pytest.raises(ValidationError) as error:
        read_districts("name,latitude,longitude\nA,51.1,7.1\nB,0,0\nC,x,7\n")
    first, second = error.value.messages  # every bad line, each with its number
    assert " 3" in first and " 4" in second


def test_districts_from_geojson():
    rows = read_districts(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"name": "Mitte"},'
        ' "geometry": {"type": "Point", "coordinates": [7.22, 51.48]}},'
        '{"type": "Feature", "properties": {"name": "Süd"}, "geometry": {"type": "Polygon",'
        ' "coordinates": [[[7.0, 51.0], [7.2, 51.0], [7.2, 51.2], [7.0, 51.2]]]}}]}'
    )
    assert [(r.name, r.latitude, r.longitude) for r in rows] == [
        ("Mitte", Decimal("51.480000"), Decimal("7.220000")),
        ("Süd", Decimal("51.100000"), Decimal("7.100000")),
    ]


def test_service_refuses_a_city_without_hostname(home_page):
    with pytest.raises(ValidationError):
        city_create(name="Herne", hostname=" ")
