"""From "I heard about it" to a live profile, in a real browser: a pub owner registers on a
phone, confirms the link from the mail, an editor approves, the owner edits and submits, the
editor approves the change, and it is online."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.management.commands.seed_demo import DEFAULT_EDITOR_PASSWORD, EDITOR_USERNAME
from directory.models import MerchantPage

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PASSWORD = "Anker-Pils-2026"  # noqa: S105 - a test account


@pytest.fixture
def demo_city(demo_city, settings):
    """The demo city (conftest.py), where a form may be sent a second after it was shown."""
    settings.REGISTRATION_MIN_SECONDS = 1


def log_in(page, base_url, username, password):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(base_url + "/admin/")


def test_register_verify_approve_edit_submit_approve_live(demo_city, live_server, visit):
    base = live_server.url

    # 1. The owner registers on a phone, from the link in the footer.
    owner_tab = visit(PHONE)
    owner = owner_tab.page
    owner.goto(base + "/")
    owner.get_by_role("link", name="Betrieb eintragen").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Betrieb eintragen")
    owner_tab.screenshot("registration-form-phone")
    owner.get_by_label("Name des Betriebs").fill("Zum Goldenen Anker")
    owner.get_by_label("Kategorie").select_option(label="Kneipe/Bar")
    owner.get_by_label("Straße und Hausnummer").fill("Hohe Straße 35")
    owner.get_by_label("Postleitzahl").fill("44139")
    owner.get_by_label("Stadtteil (freiwillig)").select_option(label="Hörde")
    owner.get_by_label("Ansprechperson").fill("Jupp Kowalski")
    owner.get_by_label("E-Mail").fill("jupp@example.org")
    owner.get_by_label("Passwort").fill(PASSWORD)
    owner.get_by_label("Spenden").check()
    owner.get_by_label("Ich akzeptiere").check()
    owner.wait_for_timeout(1100)  # people take longer than the minimum fill time
    owner.get_by_role("button", name="Registrieren").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Bitte schauen Sie in Ihr Postfach")

    # 2. The link from the mail confirms the address.
    [message] = [m for m in mail.outbox if m.to == ["jupp@example.org"]]
    link = re.search(r"https?://\S+/registrieren/bestaetigen/\S+/", message.body).group(0)
    owner.goto(base + link[link.index("/registrieren/") :])
    expect(owner.get_by_text("Ihre E-Mail-Adresse ist bestätigt.")).to_be_visible()

    # 3. An editor approves the registration.
    editor_tab = visit()
    editor = editor_tab.page
    log_in(editor, base, EDITOR_USERNAME, DEFAULT_EDITOR_PASSWORD)
    editor.goto(base + "/admin/registrations/?status=pending")
    editor.get_by_role("link", name="Zum Goldenen Anker").click()
    editor.get_by_label("Nachricht an den Betrieb").fill("Herzlich willkommen!")
    editor.get_by_role("button", name="Freigeben").click()
    expect(editor.get_by_text("Freigegeben: jupp@example.org")).to_be_visible()

    # 4. The owner signs in, sees their page on the dashboard, edits the intro and submits.
    log_in(owner, base, "jupp@example.org", PASSWORD)
    expect(owner.get_by_text("Noch nicht online")).to_be_visible()
    owner_tab.screenshot("merchant-dashboard-phone")
    owner.get_by_role("link", name="Seite bearbeiten").click()
    owner.locator("#id_intro").fill("Pils vom Fass und Fußball auf der Leinwand.")
    owner.locator("footer [data-w-dropdown-target='toggle']").first.click()
    owner.locator("button[name='action-submit']").click()
    expect(owner.get_by_text("zur Moderation eingereicht")).to_be_visible()

    # 5. The editor sees the submission on the dashboard and approves it in the page editor.
    editor.goto(base + "/admin/")
    expect(editor.locator("tr").filter(has_text="Zum Goldenen Anker").first).to_be_visible()
    anker = MerchantPage.objects.get(slug="zum-goldenen-anker")
    editor.goto(base + f"/admin/pages/{anker.pk}/edit/")
    editor.locator("footer [data-w-dropdown-target='toggle']").first.click()
    approve = editor.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    )
    editor_tab.screenshot("editor-review-approve")
    approve.click()
    expect(editor.locator(".messages .success")).to_be_visible()
    public = visit(PHONE)
    public.page.goto(base + "/betriebe/zum-goldenen-anker/")
    expect(public.page.get_by_text("Pils vom Fass und Fußball auf der Leinwand.")).to_be_visible()
    expect(public.page.get_by_role("heading", level=1)).to_have_text("Zum Goldenen Anker")
    for tab in (owner_tab, editor_tab, public):
        assert tab.console_errors == [], tab.foreign_requests
        assert tab.foreign_requests == []  # the admin's map, too, comes from our own server


def test_a_form_with_errors_fits_the_phone_and_starts_at_the_summary(demo_city, live_server, visit):
    tab = visit(PHONE)
    page = tab.page
    page.goto(live_server.url + "/registrieren/")
    page.get_by_label("Name des Betriebs").fill("Zum Goldenen Anker")
    page.get_by_label("E-Mail").fill("jupp-at-example")
    page.get_by_role("button", name="Registrieren").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte akzeptieren Sie die Nutzungsbedingungen")
    tab.screenshot("registration-errors-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form is {width} px wide on a {PHONE['width']} px phone"
    terms_error = page.locator("#id_accept_terms_error").bounding_box()
    assert terms_error["x"] + terms_error["width"] <= PHONE["width"]

    # Each entry leads to its field.
    summary.get_by_role("link", name=re.compile("^E-Mail")).click()
    expect(page.get_by_label("E-Mail")).to_be_focused()
    # The offers are one question with its answers.
    offers = page.get_by_role("group", name="Was möchten Sie anbieten?")
    expect(offers.get_by_label("Gutscheine")).to_be_visible()
    # The form comes back with 400 Bad Request, which Chromium logs; nothing else may fail.
    assert [e for e in tab.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_admin_is_the_citys_portal(kiosk, live_server, visit, size, viewport):
    from tests.e2e.conftest import KIOSK_OWNER
    from tests.e2e.conftest import PASSWORD as KIOSK_PASSWORD

    tab = visit(viewport)
    page = tab.page
    page.goto(live_server.url + "/admin/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Bei .+ anmelden$"))
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Wagtail")
    assert "Wagtail" not in page.title()
    tab.screenshot(f"admin-login-{size}")
    log_in(page, live_server.url, KIOSK_OWNER, KIOSK_PASSWORD)
    edit = page.get_by_role("link", name="Seite bearbeiten")
    expect(edit).to_be_visible()
    tab.screenshot(f"merchant-dashboard-{size}")
    # The dashboard's buttons wrap on a phone instead of being cut off.
    for name in ("Seite bearbeiten", "Ihre Daten"):
        button = page.locator("main").get_by_role("link", name=name, exact=True).first
        box = button.bounding_box()
        assert box["x"] + box["width"] <= viewport["width"], name
        assert button.evaluate("el => el.scrollWidth <= el.clientWidth"), name
    edit.click()
    expect(page.get_by_role("tab", name="Suchmaschinen & Teilen")).to_be_attached()
    tab.screenshot(f"merchant-edit-{size}")
    assert [e for e in tab.console_errors if "status of 400" not in e] == []
