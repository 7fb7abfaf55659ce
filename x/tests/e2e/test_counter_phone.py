"""The counter and the income page on a phone (390 px): the scan button looks like a button,
money actions ask before they book, a storno undoes a mistaken redemption, and the income
tables fit the screen."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, sign_in_at_the_counter
from tests.e2e.test_redeem_scan import NO_BARCODE_DETECTOR

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SHOTS_DIR", "")
DESKTOP = {"width": 1366, "height": 900}


def shot(tab, name):
    tab.screenshot(name)
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        tab.page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_scan_button_is_a_proper_button_on_a_phone(kiosk, live_server, visit):
    tab = visit(PHONE)
    tab.context.add_init_script(NO_BARCODE_DETECTOR)  # jsQR: the button is offered
    till = sign_in_at_the_counter(tab.page, live_server.url)
    scan = till.get_by_role("button", name="QR-Code scannen")
    expect(scan).to_be_visible()
    box = scan.bounding_box()
    icon = scan.locator("svg").bounding_box()
    shot(tab, "counter-lookup-phone")
    # One line, icon beside the words, inside the button, the width of the screen's column.
    assert 44 <= box["height"] <= 64, box
    assert icon["width"] <= 32 and icon["height"] <= 32, icon
    assert box["x"] <= icon["x"] and icon["x"] + icon["width"] <= box["x"] + box["width"]
    assert box["y"] <= icon["y"] and icon["y"] + icon["height"] <= box["y"] + box["height"]
    label = scan.evaluate("b => b.innerText.trim()")
    assert label == "QR-Code scannen"
    assert no_horizontal_scroll(till)
    assert tab.console_errors == [], tab.console_errors
    wide = visit(DESKTOP)
    wide.context.add_init_script(NO_BARCODE_DETECTOR)
    desk = sign_in_at_the_counter(wide.page, live_server.url)
    expect(desk.get_by_role("button", name="QR-Code scannen")).to_be_visible()
    shot(wide, "counter-lookup-desktop")


def test_redeem_all_asks_and_a_storno_undoes_a_mistake_on_a_phone(kiosk, live_server, visit):
    from tests.e2e.test_redeem_scan import bought_voucher

    base = live_server.url
    code, _pdf = bought_voucher(kiosk)
    tab = visit(PHONE)
    till = sign_in_at_the_counter(tab.page, base)
    till.get_by_label("Gutscheincode").fill(code)
    till.get_by_role("button", name="Suchen").click()
    expect(till.get_by_text("Guthaben: 25\N{NO-BREAK SPACE}€")).to_be_visible()
    shot(tab, "counter-voucher-phone")
    assert no_horizontal_scroll(till)

    till.get_by_role("button", name="Alles einlösen (25\N{NO-BREAK SPACE}€)").click()
    expect(
        till.get_by_text("Den ganzen Restwert von 25\N{NO-BREAK SPACE}€ einlösen?")
    ).to_be_visible()
    shot(tab, "counter-confirm-all-phone")
    till.get_by_role("button", name="Ja, 25\N{NO-BREAK SPACE}€ einlösen").click()
    expect(till.get_by_text("Dieser Gutschein wurde vollständig eingelöst.")).to_be_visible()
    assert till.get_by_role("button", name="Betrag einlösen").count() == 0

    till.get_by_role("button", name="Zurücknehmen").click()
    expect(till.get_by_text("zurücknehmen?")).to_be_visible()
    till.get_by_role("button", name="Ja, zurücknehmen").click()
    expect(till.get_by_text("Guthaben: 25\N{NO-BREAK SPACE}€")).to_be_visible()
    expect(till.get_by_text("Storno der Einlösung vom", exact=False)).to_be_visible()
    shot(tab, "counter-after-storno-phone")
    till.locator("table.support-table").scroll_into_view_if_needed()
    shot(tab, "counter-redemptions-phone")
    assert no_horizontal_scroll(till)
    assert tab.console_errors == [], tab.console_errors


def test_the_income_page_fits_a_phone(kiosk, live_server, visit):
    from tests.e2e.test_redeem_scan import bought_voucher

    bought_voucher(kiosk)
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        tab = visit(viewport)
        page = sign_in_at_the_counter(tab.page, live_server.url)
        page.goto(live_server.url + "/admin/support/income/")
        expect(
            page.get_by_role("heading", name="Verkäufe, Spenden und Kampagnenunterstützung")
        ).to_be_visible()
        download = page.get_by_role("link", name="Alle Buchungen herunterladen (CSV)")
        expect(download).to_be_visible()
        shot(tab, f"income-{name}")
        page.locator("table.support-table").first.scroll_into_view_if_needed()
        shot(tab, f"income-sales-{name}")
        assert no_horizontal_scroll(page), name
        assert tab.console_errors == [], tab.console_errors
