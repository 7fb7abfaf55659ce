"""The directory list's count, pages and filter choices are cached under the map feed's
generation token (directory/listing.py): right after a publish or unpublish they are right."""

import re

import pytest

from directory.models import DirectoryPage

from .factories import CategoryFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db

LIST = "/betriebe/"


def names(response) -> list[str]:
    return re.findall(r'class="merchant-list__name" href="[^"]*">([^<]+)<', response.text)


def heading(response) -> str:
    match = re.search(r'<h2 id="list-heading"[^>]*>(.*?)</h2>', response.text, re.S)
    return " ".join(match.group(1).split())


def category_choices(response) -> list[str]:
    select = response.text.split('id="filter-category"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.fixture
def city(directory_page):
    kiosk = CategoryFactory(name="Kiosk", slug="kiosk")
    for title in ("Zum Anker", "Büdchen Nord", "Café Ost"):
        MerchantPageFactory(parent=directory_page, title=title, category=kiosk)
    return directory_page


def test_the_count_and_the_choices_follow_a_publish_and_an_unpublish(client, city):
    assert heading(client.get(LIST)) == "3 Betriebe"
    assert category_choices(client.get(LIST)) == ["kiosk"]
    bakery = CategoryFactory(name="Bäckerei", slug="baeckerei")
    new = MerchantPageFactory(parent=city, title="Backstube", category=bakery, live=False)
    assert heading(client.get(LIST)) == "3 Betriebe"  # a draft is not on the map
    new.save_revision().publish()
    response = client.get(LIST)
    assert heading(response) == "4 Betriebe"
    assert set(category_choices(response)) == {"kiosk", "baeckerei"}
    assert heading(client.get(LIST, {"category": "baeckerei"})) == "1 Betrieb"
    new.refresh_from_db()
    new.unpublish()
    response = client.get(LIST)
    assert heading(response) == "3 Betriebe"
    assert category_choices(response) == ["kiosk"]


def test_pages_are_sorted_by_name_and_complete(client, city, monkeypatch):
    monkeypatch.setattr(DirectoryPage, "PAGE_SIZE", 2)
    first = client.get(LIST)
    assert names(first) == ["Büdchen Nord", "Café Ost"]
    assert "Seite 1 von 2" in first.text
    second = client.get(LIST, {"page": 2})
    assert names(second) == ["Zum Anker"]
    assert heading(second) == "3 Betriebe"
    # Out of range: the last page, as Django's paginator does.
    assert names(client.get(LIST, {"page": 99})) == ["Zum Anker"]
    assert heading(client.get(LIST, {"q": "Anker"})) == "1 Betrieb"


def test_the_home_page_count_follows_a_publish(client, city):
    assert "3 Betriebe entdecken" in client.get("/").text
    page = MerchantPageFactory(parent=city, title="Backstube", live=False)
    page.save_revision().publish()
    assert "4 Betriebe entdecken" in client.get("/").text
