"""The directory's pages, and the editorial pages that show merchants: where the tree rules
allow them and what they render."""

import pytest
from wagtail.models import Page

from directory.models import DirectoryPage, MerchantPage
from pages.models import HomeFeaturedMerchant, HomePage, StandardPage, StoryIndexPage, StoryPage
from pages.tests.factories import StoryIndexPageFactory, StoryPageFactory

from .factories import MerchantPageFactory, OpeningHoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_index(home_page):
    return StoryIndexPageFactory(parent=home_page, slug="geschichten")


def test_home_page_shows_hero_featured_merchants_and_latest_stories(
    client, home_page, directory_page, story_index
):
    kiosk = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    home_page.featured_merchants = [HomeFeaturedMerchant(merchant=kiosk)]
    home_page.save_revision().publish()
    StoryPageFactory(parent=story_index, title="Ein Bier für die Eckkneipe")

    response = client.get(home_page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeinsam für unsere Stadt" in html
    assert "Kiosk an der Möllerbrücke" in html
    assert "Ein Bier für die Eckkneipe" in html
    assert 'property="og:title"' in html
    # The directory's part comes through pages' construct_home_page_context hook.
    assert "1 Betrieb entdecken" in html
    assert f'href="{directory_page.url}"' in html


def test_story_page_renders_teaser_body_and_portrayed_merchant(client, directory_page, story_index):
    kiosk = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    story = StoryPageFactory(
        parent=story_index,
        title="Porträt: der Kiosk",
        kind="portrait",
        merchant=kiosk,
        body=[
            ("heading", "Seit 1987 an der Brücke"),
            ("quote", {"text": "Hier kennt jeder jeden.", "attribution": "Stammkundin"}),
            ("merchant", {"merchant": kiosk, "text": ""}),
        ],
    )

    html = client.get(story.url).content.decode()

    assert "Porträt: der Kiosk" in html
    assert "Seit 1987 an der Brücke" in html
    assert "Hier kennt jeder jeden." in html and "Stammkundin" in html
    assert kiosk.url in html
    # The portrait is linked back from the merchant's page.
    assert story.url in client.get(kiosk.url).content.decode()


def test_directory_lists_live_merchants_and_filters_by_category(client, directory_page):
    pizzeria = MerchantPageFactory(parent=directory_page, title="Pizzeria Da Enzo")
    MerchantPageFactory(parent=directory_page, title="Bioladen Grünkern")
    draft = MerchantPageFactory(parent=directory_page, title="Noch geheim", live=False)

    html = client.get(directory_page.url).content.decode()
    assert "Pizzeria Da Enzo" in html and "Bioladen Grünkern" in html
    assert draft.title not in html

    html = client.get(directory_page.url, {"category": pizzeria.category.slug}).content.decode()
    assert "Pizzeria Da Enzo" in html
    assert "Bioladen Grünkern" not in html


def test_merchant_page_shows_address_hours_and_contact(client, directory_page):
    merchant = MerchantPageFactory(
        parent=directory_page,
        title="Kneipe Zum Anker",
        street="Hohe Straße 35",
        postcode="44139",
        phone="0231 123456",
        website="https://anker.example.org",
        hours_note="An Feiertagen geschlossen",
    )
    OpeningHoursFactory(page=merchant, weekday=4, opens="19:00", closes="02:00")

    response = client.get(merchant.url)

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Kneipe Zum Anker",
        "Hohe Straße 35",
        "44139 Dortmund",
        "0231 123456",
        "https://anker.example.org",
        "An Feiertagen geschlossen",
        "19:00",
        "02:00",
        merchant.category.name,
        merchant.district.name,
    ]:
        assert text in html, text
    assert "<table" in html


def test_user_content_is_escaped(client, directory_page):
    merchant = MerchantPageFactory(
        parent=directory_page, intro='<script>alert("x")</script> Beste Pommes'
    )
    html = client.get(merchant.url).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


ALLOWED_PARENTS = {
    HomePage: {Page},
    DirectoryPage: {HomePage},
    MerchantPage: {DirectoryPage},
    StoryIndexPage: {HomePage},
    StoryPage: {StoryIndexPage},
    StandardPage: {HomePage, StandardPage},
}


@pytest.mark.parametrize("child", list(ALLOWED_PARENTS))
def test_tree_rules(child):
    for parent in [Page, HomePage, DirectoryPage, MerchantPage, StoryIndexPage, StoryPage]:
        allowed = parent in ALLOWED_PARENTS[child]
        assert (parent in child.allowed_parent_page_models()) is allowed, (child, parent)


def test_admin_refuses_a_merchant_outside_a_directory(editor_client, home_page, directory_page):
    refused = editor_client.get(f"/admin/pages/add/directory/merchantpage/{home_page.pk}/")
    allowed = editor_client.get(f"/admin/pages/add/directory/merchantpage/{directory_page.pk}/")
    assert refused.status_code == 302  # back to the dashboard with an error message
    assert allowed.status_code == 200
    assert "Position auf der Karte" in allowed.content.decode()  # the merchant form, ready


def test_only_one_directory_per_home_page(home_page, directory_page):
    assert not DirectoryPage.can_create_at(home_page)
