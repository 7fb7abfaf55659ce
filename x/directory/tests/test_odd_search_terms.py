"""A search term without a letter or digit is no search term: the map feed, its embeds and the
list show every merchant instead of failing (the full-text expression would be empty). Run on
SQLite and on PostgreSQL (DATABASE_URL)."""

import orjson
import pytest

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db

FEED = "/api/map/merchants.geojson"
NO_LETTERS = ['"', "*", "((", "()", "😀", "🍕🍺", "- : *", "„“", "%"]


@pytest.fixture
def merchants(directory_page):
    return {
        MerchantPageFactory(parent=directory_page, title=title).title
        for title in ("Kiosk an der Möllerbrücke", "Zum Anker")
    }


@pytest.mark.parametrize("q", NO_LETTERS)
def test_the_map_feed_shows_everything_for_a_term_without_letters(client, merchants, q):
    response = client.get(FEED, {"q": q})
    assert response.status_code == 200, response.content
    names = {f["properties"]["name"] for f in orjson.loads(response.content)["features"]}
    assert names == merchants
    embedded = client.get(FEED, {"q": q, "initiative": ""})  # as a partner's embed asks
    assert embedded.status_code == 200


@pytest.mark.parametrize("q", NO_LETTERS)
def test_the_list_shows_everything_for_a_term_without_letters(client, merchants, q):
    response = client.get("/betriebe/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert all(name in html for name in merchants)


def test_a_real_word_still_narrows_the_feed(client, merchants):
    response = client.get(FEED, {"q": "Anker"})
    names = {f["properties"]["name"] for f in orjson.loads(response.content)["features"]}
    assert names == {"Zum Anker"}
