"""The directory's list without JavaScript: the map area (bbox), sorting by distance (near),
counts in singular and plural, and the map's words handed to the script."""

import json
import re

import pytest
from django.utils import translation

from directory.filters import FilterError, parse_near
from directory.geo import format_point
from directory.templatetags.directory_tags import distance

from .factories import CategoryFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db

LIST = "/betriebe/"
# Dortmund: the kiosk by the Möllerbrücke, a café ~1.2 km east, a pub in Hörde ~5 km away.
KIOSK = (51.50735, 7.4533)


@pytest.fixture
def city(directory_page):
    category = CategoryFactory(name="Kiosk")
    for title, (lat, lng) in {
        "Kiosk an der Möllerbrücke": KIOSK,
        "Café Ost": (51.50735, 7.4706),
        "Zum Anker": (51.4890, 7.5070),
    }.items():
        MerchantPageFactory(
            parent=directory_page, title=title, category=category, location=format_point(lat, lng)
        )
    return directory_page


def names(response) -> list[str]:
    return re.findall(r'class="merchant-list__name" href="[^"]*">([^<]+)<', response.text)


def heading(response) -> str:
    match = re.search(r'<h2 id="list-heading"[^>]*>(.*?)</h2>', response.text, re.S)
    return " ".join(match.group(1).split())


def distances(response) -> list[str]:
    return re.findall(r"</span>([^<]+)</p>", response.text.split('class="merchant-list"')[1])


def test_list_counts_in_singular_and_plural(client, city):
    assert heading(client.get(LIST)) == "3 Betriebe"
    assert heading(client.get(LIST, {"q": "Anker"})) == "1 Betrieb"


def test_bbox_limits_the_list_and_says_so(client, city):
    response = client.get(LIST, {"bbox": "7.44,51.50,7.48,51.51"})
    assert response.status_code == 200
    assert names(response) == ["Café Ost", "Kiosk an der Möllerbrücke"]
    assert heading(response) == "2 Betriebe in diesem Bereich"
    # A way back to the whole city, keeping the other filters; the form keeps the area.
    assert 'href="?" data-clear-area' in response.text
    assert "Ganze Stadt zeigen" in response.text
    assert 'name="bbox" value="7.44,51.50,7.48,51.51"' in response.text


def test_bbox_with_nothing_inside(client, city):
    response = client.get(LIST, {"bbox": "7.0,51.0,7.1,51.1"})
    assert heading(response) == "0 Betriebe in diesem Bereich"
    assert "In diesem Bereich passt kein Betrieb zu diesen Filtern." in response.text


def test_near_sorts_nearest_first_and_shows_distances(client, city):
    response = client.get(LIST, {"near": "51.5074,7.4533"})
    assert response.status_code == 200
    assert names(response) == ["Kiosk an der Möllerbrücke", "Café Ost", "Zum Anker"]
    shown = distances(response)
    assert shown[0] == "10 m"
    assert shown[1] == "1,2 km"
    assert re.fullmatch(r"\d,\d km", shown[2])
    assert "Die nächsten zuerst." in response.text


def test_near_combines_with_filters_and_area(client, city):
    response = client.get(LIST, {"near": "51.489,7.507", "bbox": "7.44,51.48,7.52,51.51"})
    assert names(response) == ["Zum Anker", "Café Ost", "Kiosk an der Möllerbrücke"]
    response = client.get(LIST, {"near": "51.5074,7.4533", "q": "Anker"})
    assert names(response) == ["Zum Anker"]


def test_without_near_the_list_is_by_name_without_distances(client, city):
    response = client.get(LIST)
    assert names(response) == ["Café Ost", "Kiosk an der Möllerbrücke", "Zum Anker"]
    assert "merchant-list__distance" not in response.text


@pytest.mark.parametrize(
    "near", ["51.5", "a,b", "nan,7", "inf,7", "91,7", "51,181", "51,7,1", "1e999,7"]
)
def test_bad_near_is_a_friendly_message_not_a_500(client, city, near):
    response = client.get(LIST, {"near": near})
    assert response.status_code == 200
    assert "Erwartet: Breite,Länge in Grad" in response.text
    assert names(response) == ["Café Ost", "Kiosk an der Möllerbrücke", "Zum Anker"]
    with pytest.raises(FilterError) as error:
        parse_near({"near": near})
    assert error.value.parameter == "near"


def test_near_is_not_a_filter_of_the_feed(client, city):
    # The feed ignores the position: its cache is shared by everybody.
    plain = client.get("/api/map/merchants.geojson")
    near = client.get("/api/map/merchants.geojson", {"near": "51.5,7.4"})
    assert near.status_code == 200
    assert near["ETag"] == plain["ETag"]


@pytest.mark.parametrize(
    ("metres", "shown"),
    [
        (3, "10 m"),
        (354, "350 m"),
        (994, "990 m"),
        (996, "1,0 km"),
        (1234, "1,2 km"),
        (12_345, "12,3 km"),
    ],
)
def test_distance_is_written_as_people_say_it(metres, shown):
    with translation.override("de"):
        assert distance(metres) == shown
    assert distance(None) == ""


def test_map_script_gets_its_words_in_german(client, city):
    response = client.get(LIST)
    labels = json.loads(
        re.search(
            r'<script id="map-labels" type="application/json">(.*?)</script>', response.text
        ).group(1)
    )
    assert labels["zoomIn"] == "Vergrößern"
    assert labels["zoomOut"] == "Verkleinern"
    assert labels["found"] == ["{count} Betrieb auf der Karte", "{count} Betriebe auf der Karte"]
    assert labels["cluster"] == ["Gruppe mit {count} Betrieb", "Gruppe mit {count} Betrieben"]
    assert "Karte überspringen" in response.text
    assert "In diesem Bereich suchen" in response.text
