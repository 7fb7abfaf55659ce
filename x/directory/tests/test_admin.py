"""The Wagtail admin: every page type's edit view loads, and the map widget saves coordinates."""

from decimal import Decimal

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import MerchantPage
from pages.tests.factories import StandardPageFactory, StoryIndexPageFactory, StoryPageFactory

from .factories import CategoryFactory, InitiativeFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_page(home_page, directory_page):
    stories = StoryIndexPageFactory(parent=home_page)
    return [
        home_page,
        directory_page,
        MerchantPageFactory(parent=directory_page),
        stories,
        StoryPageFactory(parent=stories),
        StandardPageFactory(parent=home_page),
    ]


def test_edit_view_loads_for_every_page_type(editor_client, every_page):
    for page in every_page:
        response = editor_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, type(page.specific)
        assert page.title in response.content.decode()


def test_snippet_listings_load(editor_client):
    CategoryFactory(name="Kiosk")
    InitiativeFactory(name="Borussia verbindet", hashtag="#BorussiaVerbindet")
    for model in ["category", "district", "initiative"]:
        response = editor_client.get(f"/admin/snippets/directory/{model}/")
        assert response.status_code == 200, model
    assert (
        "#BorussiaVerbindet"
        in editor_client.get("/admin/snippets/directory/initiative/").content.decode()
    )


def _edit_form(client, page):
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    # StreamFields are rendered by the admin's JavaScript; post them as empty streams.
    data["story-count"] = "0"
    return data


def test_saving_a_draft_in_the_admin_stores_the_marker_position(editor_client, directory_page):
    merchant = MerchantPageFactory(parent=directory_page)
    data = _edit_form(editor_client, merchant)
    data["location"] = "SRID=4326;POINT(7.4653 51.5136)"

    response = editor_client.post(f"/admin/pages/{merchant.pk}/edit/", data)

    assert response.status_code == 302
    draft = MerchantPage.objects.get(pk=merchant.pk).get_latest_revision_as_object()
    assert (draft.latitude, draft.longitude) == (Decimal("51.5136"), Decimal("7.4653"))


def test_admin_shows_a_clear_error_for_a_marker_at_0_0(editor_client, directory_page, settings):
    merchant = MerchantPageFactory(parent=directory_page)
    data = _edit_form(editor_client, merchant)
    data["location"] = "SRID=4326;POINT(0 0)"

    response = editor_client.post(f"/admin/pages/{merchant.pk}/edit/", data)

    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    merchant.refresh_from_db()
    assert merchant.latitude == Decimal("51.5075")


def test_admin_labels_are_german(editor_client, directory_page):
    merchant = MerchantPageFactory(parent=directory_page)
    html = editor_client.get(f"/admin/pages/{merchant.pk}/edit/").content.decode()
    for label in ["Straße und Hausnummer", "Position auf der Karte", "Öffnungszeiten"]:
        assert label in html, label
