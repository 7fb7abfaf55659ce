"""A new merchant in the admin: it is the city's portal, not stock Wagtail; their page asks for
the marker, keeps them after submitting and stays editable while the editors review it."""

import json
import re

import pytest
from django.test import Client
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import MerchantPage

pytestmark = pytest.mark.django_db

MARKER_NOTICE = "Bitte setzen Sie Ihren Standort auf der Karte"


def sidebar(client) -> str:
    """The admin's sidebar menu as sent to the browser (a JSON script Wagtail draws from)."""
    html = client.get("/admin/").content.decode()
    return re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)


def menu_names(client) -> set[str]:
    return set(re.findall(r'"name": "([\w-]+)"', json.dumps(json.loads(sidebar(client)))))


def merchant_client(account) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


def edit_form(client, page) -> dict:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["story-count"] = "0"  # StreamFields are drawn by JavaScript: post an empty one
    return data


# --- the portal's admin ---------------------------------------------------------------------


def test_the_admin_login_page_names_the_portal_not_wagtail(client, home_page):
    home_page.title = "Dortmund hält zusammen"
    home_page.save_revision().publish()
    html = client.get("/admin/login/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()
    assert heading == "Bei Dortmund hält zusammen anmelden"
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Dortmund hält zusammen" in title and "Wagtail" not in title
    assert 'href="/registrieren/"' in html  # no account yet: register
    assert "css/portal-admin.css" in html  # the portal's colours
    assert "login-logo" in html and "wagtail" not in html[html.index("login-logo") :][:300]


def test_merchants_main_menu_lacks_what_they_cannot_use(make_merchant, editor_client):
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    names = menu_names(merchant_client(account))
    assert "explorer" in names and "images" in names  # their page and their photos
    assert not names & {"documents", "reports", "help"}
    assert {"reports", "help"} <= menu_names(editor_client)  # editors keep them


def test_the_help_menu_has_no_wagtail_guide(editor_client):
    props = sidebar(editor_client)
    assert "editor-guide" not in props and "guide.wagtail.org" not in props
    assert "whats-new-in-wagtail" not in props
    assert "keyboard-shortcuts-trigger" in props  # the shortcuts stay
    dashboard = editor_client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in dashboard and "Editor-Handbuch" not in dashboard


# --- the merchant's page --------------------------------------------------------------------


def test_the_editor_asks_for_the_marker_until_it_is_moved(make_merchant):
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    merchant, page = merchant_client(account), account.page
    form = edit_form(merchant, page)
    html = merchant.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert MARKER_NOTICE in html  # approval left it at the district's centre
    # The map widget and the SEO tab speak the merchant's language.
    assert "Hier klicken, um die Karte zu laden" in html
    assert "Click here to initialize map" not in html
    assert "Suchmaschinen &amp; Teilen" in html and ">Werbung<" not in html
    assert MARKER_NOTICE in merchant.get("/admin/").content.decode()  # and on the dashboard

    form["location"] = "SRID=4326;POINT(7.481 51.521)"  # dragged to the shop door
    assert merchant.post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302
    html = merchant.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert MARKER_NOTICE not in html
    assert MARKER_NOTICE not in merchant.get("/admin/").content.decode()  # the draft counts


def test_submitting_for_review_brings_the_merchant_back_to_their_page(make_merchant):
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    merchant, page = merchant_client(account), account.page
    form = edit_form(merchant, page)
    form["action-submit"] = "action-submit"
    response = merchant.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"  # not the page list
    html = merchant.get(response["Location"]).content.decode()
    assert "zur Moderation eingereicht" in html
    assert "Sie können inzwischen weiter bearbeiten" in html


def test_a_merchant_can_edit_while_the_change_waits_for_review(make_merchant):
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    merchant, page = merchant_client(account), account.page
    form = edit_form(merchant, page)
    form["action-submit"] = "action-submit"
    merchant.post(f"/admin/pages/{page.pk}/edit/", form)
    assert Page.objects.get(pk=page.pk).workflow_in_progress

    form = edit_form(merchant, page)
    form.pop("action-submit", None)
    form["intro"] = "Frisch gezapft, auch sonntags."
    response = merchant.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.intro == "Frisch gezapft, auch sonntags."
    # Still in review: approving publishes the latest version.
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
