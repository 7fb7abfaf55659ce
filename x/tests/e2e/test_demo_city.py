"""What a visitor of the demo city sees on the home page and on a merchant's page."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import MerchantPage

# The live server needs committed data: the demo city is put back from its snapshot (conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_visitor_finds_the_kiosk_from_the_home_page(demo_city, live_server, visit, name, viewport):
    tab = visit(viewport)
    page = tab.page

    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Dortmund"))
    expect(page.locator("meta[property='og:title']")).to_have_count(1)
    main_nav_link = page.get_by_role("navigation", name="Hauptmenü").get_by_role(
        "link", name="Betriebe"
    )
    if name == "phone":  # the menu folds away behind a button on small screens
        expect(main_nav_link).to_be_hidden()
        page.get_by_role("button", name="Menü").click()
    expect(main_nav_link).to_be_visible()
    tab.screenshot(f"home-{name}")

    kiosk = MerchantPage.objects.get(title="Kiosk an der Möllerbrücke")
    page.goto(live_server.url + kiosk.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiosk an der Möllerbrücke")
    address = page.locator("address")
    expect(address).to_contain_text(kiosk.street)
    expect(address).to_contain_text(f"{kiosk.postcode} Dortmund")
    hours = page.get_by_role("table")
    expect(hours).to_be_visible()
    for weekday in ["Montag", "Mittwoch", "Sonntag"]:
        expect(hours).to_contain_text(weekday)
    expect(
        page.get_by_text(re.compile("geöffnet|geschlossen", re.IGNORECASE)).first
    ).to_be_visible()
    tab.screenshot(f"merchant-{name}")

    assert tab.console_errors == []
    assert tab.foreign_requests == []
