"""The map's compact feed (/api/map/points) and its labels (/api/map/labels): the contract the
map's script is written against, and the stored bytes both feeds are served from."""

import gzip

import orjson
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from directory.geo import format_point
from directory.map import map_context
from pages.tests.factories import HomePageFactory

from .factories import (
    CategoryFactory,
    DirectoryPageFactory,
    InitiativeFactory,
    MerchantPageFactory,
)

pytestmark = pytest.mark.django_db

POINTS = "/api/map/points"
LABELS = "/api/map/labels"
FEED = "/api/map/merchants.geojson"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def city(directory_page):
    CategoryFactory(name="Friseur")  # no merchant: never listed
    kiosk_category = CategoryFactory(name="Kiosk")
    pub_category = CategoryFactory(name="Kneipe/Bar")
    kiosk = MerchantPageFactory(
        parent=directory_page,
        title="Kiosk an der Möllerbrücke",
        slug="kiosk-moellerbruecke",
        category=kiosk_category,
        location=format_point(51.50751234, 7.451),
    )
    kiosk.initiatives.add(InitiativeFactory(name="Borussia verbindet"))
    kiosk.save()
    pub = MerchantPageFactory(
        parent=directory_page,
        title="Zum Anker",
        slug="zum-anker",
        category=pub_category,
        location=format_point(51.489996, 7.507004),
    )
    draft = MerchantPageFactory(parent=directory_page, title="Entwurf", live=False)
    return {"kiosk": kiosk, "pub": pub, "draft": draft}


def points_of(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = orjson.loads(response.content)
    assert set(body) == {"generation", "categories", "points"}
    return body


def by_id(body) -> dict:
    """Each point as (lon, lat, category slug), by merchant id."""
    return {
        pk: (lon, lat, body["categories"][index] if index >= 0 else None)
        for pk, lon, lat, index in body["points"]
    }


def test_points_are_id_position_and_category_index_rounded_to_five_decimals(client, city):
    body = points_of(client.get(POINTS))

    assert sorted(body["categories"]) == ["kiosk", "kneipebar"]
    assert all(len(point) == 4 for point in body["points"])
    assert by_id(body) == {
        city["kiosk"].pk: (7.451, 51.50751, "kiosk"),
        city["pub"].pk: (7.507, 51.49, "kneipebar"),  # 7.507004, 51.489996
    }
    assert isinstance(body["generation"], str) and body["generation"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "kneipebar"}, {"pub"}),
        ({"bbox": "7.44,51.50,7.46,51.51"}, {"kiosk"}),
        ({"initiative": "borussia-verbindet"}, {"kiosk"}),
        ({"q": "Anker"}, {"pub"}),
        ({"category": "kiosk", "bbox": "7.49,51.48,7.52,51.50"}, set()),
    ],
)
def test_points_follow_the_feeds_filters(client, city, params, expected):
    body = points_of(client.get(POINTS, params))
    assert set(by_id(body)) == {city[name].pk for name in expected}
    if expected:  # only the categories the points use
        assert len(body["categories"]) == len(expected)


def test_a_bad_filter_is_a_400_naming_it(client, city):
    response = client.get(POINTS, {"category": "<script>"})
    assert response.status_code == 400
    assert response.json()["error"] == "category"


@pytest.mark.parametrize("url", [POINTS, FEED])
def test_a_hit_is_the_stored_bytes_and_a_304_reads_nothing_else(client, city, url):
    first = client.get(url, headers=GZIP)
    assert first["Content-Encoding"] == "gzip"
    assert first["Cache-Control"] == "public, max-age=60"
    assert "Accept-Encoding" in first["Vary"]
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers=GZIP)
        not_modified = client.get(url, headers={**GZIP, "If-None-Match": etag})
    assert again.content == first.content
    assert again["ETag"] == etag
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert [q["sql"][:300] for q in queries] == []  # no rebuild, not even the site lookup

    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert not plain.has_header("Content-Encoding")
    assert plain.content == gzip.decompress(first.content)
    assert plain["ETag"] == etag
    refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.content == plain.content


def test_a_publish_changes_the_etag_and_the_points(client, city, directory_page):
    etag = client.get(POINTS)["ETag"]
    new = MerchantPageFactory(parent=directory_page, title="Bioladen Grünkern")

    response = client.get(POINTS, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert new.pk in by_id(points_of(response))

    city["pub"].unpublish()
    assert city["pub"].pk not in by_id(points_of(client.get(POINTS)))


def test_labels_name_and_link_live_merchants_of_this_city_only(client, city):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    Site.objects.create(hostname="bochum.example", root_page=other_home, site_name="Bochum")
    bochum = MerchantPageFactory(
        parent=DirectoryPageFactory(parent=other_home, slug="betriebe"), title="Bude in Bochum"
    )
    kiosk, pub, draft = city["kiosk"], city["pub"], city["draft"]
    ids = f"{kiosk.pk}, {pub.pk},{draft.pk},{bochum.pk},{kiosk.pk},999999"

    response = client.get(LABELS, {"ids": ids})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "labels": {
            str(kiosk.pk): {
                "name": "Kiosk an der Möllerbrücke",
                "url": "/betriebe/kiosk-moellerbruecke/",
            },
            str(pub.pk): {"name": "Zum Anker", "url": "/betriebe/zum-anker/"},
        }
    }
    there = client.get(LABELS, {"ids": ids}, headers={"Host": "bochum.example"}).json()
    assert there == {
        "labels": {str(bochum.pk): {"name": "Bude in Bochum", "url": "/betriebe/bude-in-bochum/"}}
    }


@pytest.mark.parametrize(
    "ids",
    [
        ",".join(str(number) for number in range(1, 502)),  # 501 ids
        "",
        "a,b",
        "1,,2",
        "0",
        "-1",
        "1.5",
        "١٢",  # digits, but not ASCII ones
        str(2**63),
        "9" * 30,
    ],
)
def test_bad_label_ids_are_a_422_in_the_apis_error_shape(client, city, ids):
    response = client.get(LABELS, {"ids": ids})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ids"
    assert body["detail"]


def test_missing_label_ids_are_a_422_too(client, city):
    response = client.get(LABELS)
    assert response.status_code == 422
    assert response.json()["error"] == "ids"


def test_five_hundred_ids_are_fine(client, city):
    ids = ",".join([str(city["kiosk"].pk), *(str(n) for n in range(10**6, 10**6 + 499))])
    response = client.get(LABELS, {"ids": ids})
    assert response.status_code == 200
    assert list(response.json()["labels"]) == [str(city["kiosk"].pk)]


def test_the_map_is_told_where_the_points_and_labels_are(city):
    request = RequestFactory().get("/betriebe/")
    context = map_context(request, Site.objects.get(is_default_site=True))
    assert context["map_points_url"] == POINTS
    assert context["map_labels_url"] == LABELS


def test_the_schema_documents_points_and_labels(client):
    document = client.get("/api/openapi.json").json()
    points = document["paths"][POINTS]["get"]
    assert list(points["responses"]["200"]["content"]) == ["application/json"]
    assert {"bbox", "category", "q"} <= {p["name"] for p in points["parameters"]}
    labels = document["paths"][LABELS]["get"]
    assert "422" in labels["responses"]
    assert [p["name"] for p in labels["parameters"]] == ["ids"]
    feed = document["paths"][FEED]["get"]["responses"]["200"]["content"]
    assert list(feed) == ["application/geo+json"]


def test_another_process_reads_the_stored_bytes_and_does_not_rebuild(client, city):
    from directory import feed

    first = client.get(POINTS, headers=GZIP)
    feed.memory.clear()  # a worker that has not served this feed yet
    with CaptureQueriesContext(connection) as queries:
        again = client.get(POINTS, headers=GZIP)
    assert again.content == first.content
    assert not [q for q in queries if "directory_merchantpage" in q["sql"]]
