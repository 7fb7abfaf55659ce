"""The map's GeoJSON feed, the popup details and the Wagtail API v2 fields."""

import gzip
from datetime import datetime, time
from zoneinfo import ZoneInfo

import orjson
import pytest

from directory.geo import format_point
from directory.models import MerchantOpeningHours

from .factories import CategoryFactory, DistrictFactory, InitiativeFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db

FEED = "/api/map/merchants.geojson"
BERLIN = ZoneInfo("Europe/Berlin")


def features(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return {f["properties"]["name"]: f for f in orjson.loads(response.content)["features"]}


@pytest.fixture
def city(directory_page):
    kiosk_category = CategoryFactory(name="Kiosk")
    pub_category = CategoryFactory(name="Kneipe/Bar")
    kreuzviertel = DistrictFactory(name="Kreuzviertel")
    hoerde = DistrictFactory(name="Hörde")
    bvb = InitiativeFactory(name="Borussia verbindet", hashtag="#BorussiaVerbindet")
    kiosk = MerchantPageFactory(
        parent=directory_page,
        title="Kiosk an der Möllerbrücke",
        slug="kiosk-moellerbruecke",
        category=kiosk_category,
        district=kreuzviertel,
        location=format_point(51.50751234, 7.451),
        has_voucher_offer=True,
    )
    kiosk.initiatives.add(bvb)
    kiosk.save()
    pub = MerchantPageFactory(
        parent=directory_page,
        title="Zum Anker",
        category=pub_category,
        district=hoerde,
        location=format_point(51.4890, 7.5070),
    )
    MerchantOpeningHours.objects.create(page=pub, weekday=4, opens=time(19), closes=time(2))
    MerchantPageFactory(parent=directory_page, title="Entwurf", live=False)
    return {"kiosk": kiosk, "pub": pub, "bvb": bvb}


def test_feed_lists_live_merchants_with_minimal_properties(client, city):
    found = features(client)

    assert set(found) == {"Kiosk an der Möllerbrücke", "Zum Anker"}
    kiosk = found["Kiosk an der Möllerbrücke"]
    assert kiosk["geometry"] == {"type": "Point", "coordinates": [7.451, 51.507512]}
    assert kiosk["properties"] == {
        "id": city["kiosk"].pk,
        "name": "Kiosk an der Möllerbrücke",
        "category": "kiosk",
        "url": "/betriebe/kiosk-moellerbruecke/",
        "offers": ["voucher"],
        "initiatives": [city["bvb"].slug],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"bbox": "7.44,51.50,7.46,51.51"}, {"Kiosk an der Möllerbrücke"}),
        ({"bbox": "7.0,50.0,8.0,52.0"}, {"Kiosk an der Möllerbrücke", "Zum Anker"}),
        ({"category": "kneipebar"}, {"Zum Anker"}),
        ({"category": "kiosk,kneipebar"}, {"Kiosk an der Möllerbrücke", "Zum Anker"}),
        ({"district": "hoerde"}, {"Zum Anker"}),
        ({"initiative": "borussia-verbindet"}, {"Kiosk an der Möllerbrücke"}),
        ({"offers": "voucher"}, {"Kiosk an der Möllerbrücke"}),
        ({"offers": "donation"}, set()),
        ({"q": "Anker"}, {"Zum Anker"}),
        ({"q": "Moellerbruecke"}, {"Kiosk an der Möllerbrücke"}),
        ({"q": "möllerbr"}, {"Kiosk an der Möllerbrücke"}),
        ({"q": "möll"}, {"Kiosk an der Möllerbrücke", "Zum Anker"}),  # Möllerstraße
        ({"category": "kiosk", "district": "hoerde"}, set()),
    ],
)
def test_filters_combine(client, city, params, expected):
    assert set(features(client, **params)) == expected


def test_open_now_follows_the_clock(client, city, monkeypatch):
    friday_night = datetime(2026, 11, 27, 23, 30, tzinfo=BERLIN)
    monkeypatch.setattr("django.utils.timezone.localtime", lambda *a, **k: friday_night)
    assert set(features(client, open_now="true")) == {"Zum Anker"}

    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=BERLIN)
    monkeypatch.setattr("django.utils.timezone.localtime", lambda *a, **k: saturday_noon)
    assert set(features(client, open_now="true")) == set()


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"bbox": "7.4,51.5,7.5"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "7.5,51.5,7.4,51.6"}, "bbox"),
        ({"bbox": "7.4,51.5,7.5,91"}, "bbox"),
        ({"bbox": "nan,51.5,7.5,51.6"}, "bbox"),
        ({"category": "nope"}, "category"),
        ({"category": "<script>"}, "category"),
        ({"district": "atlantis"}, "district"),
        ({"initiative": "unknown"}, "initiative"),
        ({"offers": "beer"}, "offers"),
        ({"open_now": "maybe"}, "open_now"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, city, params, parameter):
    response = client.get(FEED, params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == parameter
    assert body["detail"]


def test_etag_gives_304_and_gzip_is_served_when_accepted(client, city):
    first = client.get(FEED)
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]

    again = client.get(FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    zipped = client.get(FEED, headers={"Accept-Encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == first.content
    assert "Accept-Encoding" in zipped["Vary"]


def test_publish_unpublish_move_and_delete_show_at_once(client, city, directory_page):
    etag = client.get(FEED)["ETag"]

    new = MerchantPageFactory(parent=directory_page, title="Neu: Bioladen Grünkern")
    assert "Neu: Bioladen Grünkern" in features(client)
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 200

    kiosk = city["kiosk"]
    kiosk.location = format_point(51.52, 7.47)
    kiosk.save_revision().publish()
    moved = features(client)["Kiosk an der Möllerbrücke"]["geometry"]["coordinates"]
    assert moved == [7.47, 51.52]

    city["pub"].unpublish()
    assert "Zum Anker" not in features(client)

    new.delete()
    assert set(features(client)) == {"Kiosk an der Möllerbrücke"}


def test_merchant_detail_for_the_popup(client, city):
    kiosk = city["kiosk"]
    response = client.get(f"/api/map/merchants/{kiosk.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Kiosk an der Möllerbrücke"
    assert body["url"] == "/betriebe/kiosk-moellerbruecke/"
    assert body["category"] == "Kiosk"
    assert body["district"] == "Kreuzviertel"
    assert body["address"] == "Möllerstraße 12, 44137 Dortmund"
    assert body["offers"] == ["voucher"]


def test_merchant_detail_of_a_draft_is_404_json(client, city, directory_page):
    draft = MerchantPageFactory(parent=directory_page, live=False)
    response = client.get(f"/api/map/merchants/{draft.pk}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_openapi_schema_describes_the_map_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/map/merchants.geojson" in schema["paths"]
    assert "/api/map/merchants/{merchant_id}" in schema["paths"]
    parameters = {
        p["name"] for p in schema["paths"]["/api/map/merchants.geojson"]["get"]["parameters"]
    }
    assert {"bbox", "category", "district", "initiative", "offers", "open_now", "q"} <= parameters


def test_wagtail_api_v2_exposes_merchant_fields(client, city):
    kiosk = city["kiosk"]
    response = client.get(f"/api/v2/pages/{kiosk.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["category"] == {"name": "Kiosk", "slug": "kiosk"}
    assert body["district"]["name"] == "Kreuzviertel"
    assert body["location"] == {"latitude": 51.507512, "longitude": 7.451}
    assert body["street"] == "Möllerstraße 12"
    assert body["initiatives"][0]["hashtag"] == "#BorussiaVerbindet"
    assert body["has_voucher_offer"] is True

    listing = client.get(
        "/api/v2/pages/", {"type": "directory.MerchantPage", "fields": "category,location"}
    ).json()
    assert listing["meta"]["total_count"] == 2


def test_wagtail_api_v2_exposes_story_fields(client, city, home_page):
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from pages.tests.factories import StoryIndexPageFactory, StoryPageFactory

    photo = Image.objects.create(title="Der Kiosk bei Nacht", file=get_test_image_file())
    Image.objects.create(title="Nirgends gezeigt", file=get_test_image_file())
    stories = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(
        parent=stories,
        title="Porträt: der Kiosk",
        kind="portrait",
        merchant=city["kiosk"],
        hero_image=photo,
    )
    press = Document.objects.create(
        title="Presseinfo", file=get_test_image_file(filename="info.pdf")
    )
    Document.objects.create(title="Entwurf intern", file=get_test_image_file(filename="e.pdf"))
    story.body = [
        ("paragraph", f'<p>Mehr in der <a linktype="document" id="{press.pk}">Presseinfo</a>.</p>')
    ]
    story.save_revision().publish()

    body = client.get(f"/api/v2/pages/{story.pk}/").json()

    assert body["kind"] == "portrait"
    assert body["teaser"] == story.teaser
    assert body["date"] == "2020-04-01"
    assert body["merchant"]["id"] == city["kiosk"].pk
    assert body["body"][0]["type"] == "paragraph"
    # A 2:1 crop of the 640 × 480 photo (fill never enlarges it).
    assert "fill-1200x600" in body["hero_image"]["url"]
    assert (body["hero_image"]["width"], body["hero_image"]["height"]) == (640, 320)
    # The images the public pages show, and the documents they link to, are data too.
    images = client.get("/api/v2/images/").json()["items"]
    assert [image["title"] for image in images] == ["Der Kiosk bei Nacht"]
    documents = client.get("/api/v2/documents/").json()["items"]
    assert [document["title"] for document in documents] == ["Presseinfo"]
