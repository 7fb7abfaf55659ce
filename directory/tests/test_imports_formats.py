"""Each import format with broken rows: every bad row reported with its line and reason, every
good row kept (directory/imports)."""

import json

import pytest

from directory.imports.parsers import UnreadableFile, parse
from directory.models import Category, MerchantPage

from .conftest import kept_for_the_module
from .import_helpers import csv_text, make_city, overpass, reasons, run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        yield make_city()


GERMAN_CSV = csv_text(
    "Name;Straße;PLZ;Ort;Breitengrad;Längengrad;Kategorie;E-Mail;Webseite;Telefon;Öffnungszeiten;ID",
    'Café Sonne;Hansastraße 3;44137;Dortmund;51,5140;7,4660;Café;sonne@example.org;www.cafe-sonne.de;0231 1234567;"Mo-Fr 09:00-18:00";a1',  # noqa: E501
    ";Ohne Name 1;44137;Dortmund;51.5140;7.4660;Café;;;;;a2",
    "Null Insel;Meer 1;00000;Atlantik;0;0;Café;;;;;a3",
    "Kiosk Bochum;Kortumstraße 1;44787;Bochum;51.4818;7.2162;Kiosk;;;;;a4",
    "Kiosk Berlin;Unter den Linden 1;10117;Berlin;52.5170;13.3889;Kiosk;;;;;a5",
    "Trinkhalle Süd;Hohe Str. 5;44139;Dortmund;51.5050;7.4600;Kiosk;keine-adresse;;;;a6",
    "Fahrradladen Nord;Mallinckrodtstr. 9;44145;Dortmund;51.5250;7.4700;Fahrräder;;;;;a7",
    "Bude am Wall;Königswall 2;44137;Dortmund;51.5160;7.4560;kiosk;;;;;a8",
)


def test_a_german_csv_keeps_the_good_rows_and_names_each_bad_one(city):
    report = run(city["source"], GERMAN_CSV)

    assert report.counts["created"] == 3  # Sonne, Bochum (16 km away), Bude (category by name)
    bad = reasons(report)
    assert set(bad) == {3, 4, 6, 7, 8}
    assert "Name missing" in bad[3]
    assert "0/0" in bad[4]
    assert "km from the city centre" in bad[6]  # Berlin
    assert "e-mail" in bad[7]
    assert "Unknown category 'Fahrräder'" in bad[8]
    sonne = MerchantPage.objects.get(title="Café Sonne")
    assert (sonne.street, sonne.postcode, sonne.city) == ("Hansastraße 3", "44137", "Dortmund")
    assert (str(sonne.latitude), str(sonne.longitude)) == ("51.514000", "7.466000")
    assert sonne.website == "https://www.cafe-sonne.de"
    assert sonne.live and not sonne.has_owner
    assert sonne.get_parent().pk == city["directory"].pk
    assert sonne.initiatives.get() == city["initiative"]
    assert not MerchantPage.objects.filter(title__in=["Null Insel", "Kiosk Berlin"]).exists()


def test_unknown_categories_are_created_on_request(city):
    report = run(city["source"], GERMAN_CSV, create_categories=True)

    assert report.created_categories == ["Fahrräder"]
    assert MerchantPage.objects.get(title="Fahrradladen Nord").category.name == "Fahrräder"
    assert 8 not in reasons(report)


def test_an_english_csv_with_commas_reads_the_same_columns(city):
    data = csv_text(
        "id,name,street,postcode,town,lat,lon,category,email,website,phone,opening_hours,description",
        "e1,Corner Kiosk,Brückstraße 1,44135,Dortmund,51.5150,7.4680,Kiosk,shop@example.org,"
        "https://kiosk.example.org,,Mo-Sa 07:00-22:00,Newspapers and more",
        "e2,,Nowhere 1,44135,Dortmund,51.5150,7.4680,Kiosk,,,,,",
    )
    report = run(city["source"], data)

    assert report.counts["created"] == 1
    assert reasons(report) == {3: "Name missing."}
    kiosk = MerchantPage.objects.get(title="Corner Kiosk")
    assert kiosk.intro == "Newspapers and more"
    assert kiosk.opening_hours.count() == 6


def feature(name, lng, lat, **properties):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lng, lat]},
        "properties": {"name": name, "category": "Café", **properties},
    }


def test_geojson_features_with_broken_ones_among_them(city):
    data = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    "Rösterei am Markt", 7.4640, 51.5130, id="g1", Webseite="roesterei.example"
                ),
                feature("", 7.4640, 51.5130, id="g2"),
                feature("Nirgendwo", 0, 0, id="g3"),
                feature("Fern", 6.9, 50.9, id="g4"),  # Cologne
                feature("Schlecht erreichbar", 7.4641, 51.5131, id="g5", email="at@@example"),
                feature("Unbekannt", 7.4642, 51.5132, id="g6", category="Raumfahrt"),
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": []},
                    "properties": {"name": "Weg"},
                },
                {"type": "Feature", "geometry": None, "properties": {"name": "Ohne Ort"}},
            ],
        }
    )
    report = run(city["source"], data, "geojson")

    assert report.counts["created"] == 1
    bad = reasons(report)
    assert set(bad) == {2, 3, 4, 5, 6, 7, 8}
    assert "Name missing" in bad[2] and "0/0" in bad[3] and "km from" in bad[4]
    assert "e-mail" in bad[5] and "Raumfahrt" in bad[6] and "Point" in bad[7]
    assert "Coordinates missing" in bad[8]
    assert (
        MerchantPage.objects.get(title="Rösterei am Markt").website == "https://roesterei.example"
    )


def test_overpass_json_nodes_and_ways_with_tags_mapped(city):
    data = overpass(
        {
            "type": "node",
            "id": 101,
            "lat": 51.5120,
            "lon": 7.4620,
            "tags": {
                "amenity": "cafe",
                "name": "Kaffeebar",
                "addr:street": "Westenhellweg",
                "addr:housenumber": "10",
                "addr:postcode": "44137",
                "contact:website": "https://kaffeebar.example",
                "contact:phone": "+49 231 99887766",
                "opening_hours": "Mo-Fr 08:00-18:00; Sa 09:00-14:00; PH off",
            },
        },
        {
            "type": "way",
            "id": 202,
            "center": {"lat": 51.5100, "lon": 7.4700},
            "tags": {"shop": "kiosk", "name": "Büdchen"},
        },
        {"type": "node", "id": 303, "lat": 51.5, "lon": 7.46},  # a way's member: no tags
        {"type": "node", "id": 404, "lat": 51.5110, "lon": 7.4610, "tags": {"shop": "kiosk"}},
        {"type": "node", "id": 505, "lat": 0, "lon": 0, "tags": {"amenity": "pub", "name": "Null"}},
        {
            "type": "node",
            "id": 606,
            "lat": 51.5111,
            "lon": 7.4611,
            "tags": {"amenity": "cafe", "name": "Zum Schlechten", "email": "kaputt"},
        },
        {
            "type": "node",
            "id": 707,
            "lat": 51.5112,
            "lon": 7.4612,
            "tags": {"amenity": "library", "name": "Bücherei"},
        },
    )
    report = run(city["source"], data, "osm")

    assert report.counts["created"] == 2
    bad = reasons(report)
    assert set(bad) == {4, 5, 6, 7}
    assert "Name missing" in bad[4] and "0/0" in bad[5] and "e-mail" in bad[6]
    assert "amenity=library" in bad[7]
    cafe = MerchantPage.objects.get(title="Kaffeebar")
    assert cafe.category == city["cafe"]
    assert cafe.street == "Westenhellweg 10" and cafe.phone == "+49 231 99887766"
    assert cafe.source_records.get().external_id == "node/101"
    assert MerchantPage.objects.get(title="Büdchen").source_records.get().external_id == "way/202"
    assert [w.line for w in report.warnings] == [1]  # PH off: kept as a note
    assert cafe.hours_note == "Mo-Fr 08:00-18:00; Sa 09:00-14:00; PH off"


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"\xff\xfe\x00kaputt", "csv", "UTF-8"),
        ("Straße;PLZ\nA;1\n", "csv", "Name"),
        ("{not json", "geojson", "kein gültiges JSON"),
        ('{"type": "Feature"}', "geojson", "FeatureCollection"),
        ('{"nodes": []}', "osm", "elements"),
    ],
)
def test_an_unreadable_file_is_one_clear_error(data, fmt, message):
    with pytest.raises(UnreadableFile, match=message):
        parse(data, fmt)


def test_a_row_with_more_values_than_columns_is_reported_not_fatal():
    rows = parse("name,lat,lon\nA,51.5,7.4,zu viel\nB,51.5,7.4\n", "csv")
    assert [(r.line, bool(r.error)) for r in rows] == [(2, True), (3, False)]


def test_no_category_created_when_a_row_is_dry_run(city):
    run(city["source"], GERMAN_CSV, create_categories=True, dry_run=True)
    assert not Category.objects.filter(name="Fahrräder").exists()
