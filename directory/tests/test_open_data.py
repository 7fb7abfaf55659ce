"""The open data export: every live, public merchant of the city asking, with its public
fields and licence, as CSV and GeoJSON (docs/open-data.md)."""

import csv
import datetime
import gzip
import io
import json

import pytest
from wagtail.models import Page, Site

from directory import hours
from directory.models import ImportSource, MerchantPage, MerchantSourceRecord
from directory.tests.factories import (
    CategoryFactory,
    DirectoryPageFactory,
    DistrictFactory,
    InitiativeFactory,
    MerchantPageFactory,
    OpeningHoursFactory,
)
from pages.models import CitySettings
from pages.tests.factories import HomePageFactory

pytestmark = pytest.mark.django_db

CSV = "/api/open-data/merchants.csv"
GEOJSON = "/api/open-data/merchants.geojson"


@pytest.fixture
def city(directory_page):
    kiosk = MerchantPageFactory(
        parent=directory_page,
        title="Kiosk an der Möllerbrücke",
        slug="kiosk",
        category=CategoryFactory(name="Kiosk"),
        district=DistrictFactory(name="Innenstadt-West"),
        street="Möllerstraße 12",
        postcode="44137",
        website="https://kiosk.example",
        phone="0231 123456",
        email="kiosk@example.org",
    )
    kiosk.initiatives.add(InitiativeFactory(name="Borussia verbindet"))
    kiosk.save_revision().publish()
    # The flag as support keeps it for a merchant with a voucher offer (support/signals.py).
    MerchantPage.objects.filter(pk=kiosk.pk).update(has_voucher_offer=True)
    for day in range(5):
        OpeningHoursFactory(
            page=kiosk, weekday=day, opens=datetime.time(7), closes=datetime.time(20)
        )
    OpeningHoursFactory(page=kiosk, weekday=5, opens=datetime.time(18), closes=datetime.time(2))
    draft = MerchantPageFactory(parent=directory_page, title="Noch nicht online")
    draft.unpublish()
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    Site.objects.create(hostname="bochum.example", root_page=other_home, site_name="Bochum")
    bochum = MerchantPageFactory(
        parent=DirectoryPageFactory(parent=other_home, slug="betriebe"), title="Bude in Bochum"
    )
    return {"kiosk": kiosk, "draft": draft, "bochum": bochum}


def body(response) -> bytes:
    content = response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def test_the_csv_holds_every_public_field_of_the_citys_merchants(client, city):
    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not body(response).startswith(b"\xef\xbb\xbf")  # no BOM: see docs/open-data.md
    rows = csv_rows(response)
    assert [row["name"] for row in rows] == ["Kiosk an der Möllerbrücke"]
    kiosk = rows[0]
    assert kiosk["id"] == str(city["kiosk"].pk)
    assert kiosk["url"] == "http://localhost/betriebe/kiosk/"
    assert kiosk["street"] == "Möllerstraße 12"
    assert kiosk["postcode"] == "44137"
    assert kiosk["town"] == "Dortmund"
    assert kiosk["address"] == "Möllerstraße 12, 44137 Dortmund"
    assert float(kiosk["latitude"]) == pytest.approx(51.5075)
    assert float(kiosk["longitude"]) == pytest.approx(7.451)
    assert kiosk["category"] == "Kiosk"
    assert kiosk["district"] == "Innenstadt-West"
    assert kiosk["opening_hours"] == "Mo-Fr 07:00-20:00; Sa 18:00-02:00"
    assert kiosk["website"] == "https://kiosk.example"
    assert kiosk["phone"] == "0231 123456"
    assert kiosk["email"] == "kiosk@example.org"
    assert kiosk["initiatives"] == "Borussia verbindet"
    assert "voucher" in kiosk["offers"].split("; ")
    changed = datetime.datetime.fromisoformat(kiosk["last_change"])
    assert changed.tzinfo is not None
    assert kiosk["licence"] == "CC BY 4.0"
    assert kiosk["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_another_city_exports_its_own_merchants_only(client, city):
    rows = csv_rows(client.get(CSV, headers={"Host": "bochum.example"}))

    assert [row["name"] for row in rows] == ["Bude in Bochum"]
    assert rows[0]["url"].startswith("http://bochum.example/")


def test_the_geojson_is_a_feature_collection_with_its_licence(client, city):
    response = client.get(GEOJSON)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body(response))
    assert data["type"] == "FeatureCollection"
    assert data["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert "CC BY 4.0" in data["attribution"]
    [feature] = data["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == city["kiosk"].pk
    lng, lat = feature["geometry"]["coordinates"]
    assert (lat, lng) == (pytest.approx(51.5075), pytest.approx(7.451))
    properties = feature["properties"]
    assert properties["name"] == "Kiosk an der Möllerbrücke"
    assert properties["initiatives"] == ["Borussia verbindet"]
    assert "voucher" in properties["offers"]
    assert properties["opening_hours"] == "Mo-Fr 07:00-20:00; Sa 18:00-02:00"
    assert properties["licence"] == "CC BY 4.0"


def test_a_merchant_taken_offline_leaves_the_export(client, city):
    assert len(csv_rows(client.get(CSV))) == 1

    city["kiosk"].unpublish()

    assert csv_rows(client.get(CSV)) == []


def test_the_export_is_cached_with_an_etag(client, city):
    first = client.get(GEOJSON)
    assert first["Cache-Control"].startswith("public, max-age=")

    again = client.get(GEOJSON, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304

    MerchantPageFactory(parent=city["kiosk"].get_parent(), title="Bioladen Grünkern")
    changed = client.get(GEOJSON, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("url", [CSV, GEOJSON])
def test_the_queries_do_not_grow_with_the_merchants(
    client, directory_page, django_assert_max_num_queries, url
):
    initiative = InitiativeFactory(name="helpyourhometown")
    for number in range(30):
        merchant = MerchantPageFactory(parent=directory_page, title=f"Betrieb {number}")
        merchant.initiatives.add(initiative)
        merchant.save_revision().publish()
        OpeningHoursFactory(page=merchant)
    CitySettings.for_site(Site.objects.get(is_default_site=True))  # created once, not per export

    # The site, its settings (the licence), view restrictions, merchants, initiatives, hours,
    # the licences of imported merchants.
    with django_assert_max_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
    assert body(response).count(b"helpyourhometown") >= 30


def test_opening_hours_in_osm_syntax():
    interval = hours.Interval
    t = datetime.time
    week = [interval(day, t(9), t(18)) for day in range(5)]
    assert hours.osm_syntax(week) == "Mo-Fr 09:00-18:00"
    split = [interval(0, t(14), t(18)), interval(0, t(9), t(12)), interval(2, t(9), t(12))]
    assert hours.osm_syntax(split) == "Mo 09:00-12:00,14:00-18:00; We 09:00-12:00"
    assert hours.osm_syntax([interval(6, t(18), t(0))]) == "Su 18:00-24:00"
    assert hours.osm_syntax([]) == ""


def test_the_footer_links_a_page_that_explains_the_export(client, city):
    home = client.get("/")
    assert 'href="/offene-daten/"' in home.content.decode()

    response = client.get("/offene-daten/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/api/open-data/merchants.csv"' in page
    assert 'href="/api/open-data/merchants.geojson"' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in page
    assert "<code>opening_hours</code>" in page


def test_imported_merchants_carry_their_sources_licence_and_follow_its_changes(client, city):
    site = Site.objects.get(is_default_site=True)
    source = ImportSource.objects.create(site=site, name="OSM", licence="ODbL 1.0")
    imported = MerchantPageFactory(parent=city["kiosk"].get_parent(), title="Aus OSM")
    MerchantSourceRecord.objects.create(source=source, merchant=imported, external_id="n/1")
    # Merged into: the kiosk only gained the source's initiative, none of its data.
    MerchantSourceRecord.objects.create(
        source=source, merchant=city["kiosk"], external_id="n/2", created=False
    )
    first = client.get(CSV)
    licences = {row["name"]: row["licence"] for row in csv_rows(first)}
    assert licences == {"Kiosk an der Möllerbrücke": "CC BY 4.0", "Aus OSM": "ODbL 1.0"}

    source.licence = "ODbL 1.0 (OpenStreetMap)"
    source.save()

    changed = client.get(CSV, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert {row["licence"] for row in csv_rows(changed)} >= {"ODbL 1.0 (OpenStreetMap)"}
