"""Search as you type, by keyboard, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("box", ["#site-search", "#search-page-q"])
def test_typing_moell_suggests_the_kiosk_and_enter_opens_it(demo_city, live_server, visit, box):
    tab = visit()
    page = tab.page
    page.goto(live_server.url + "/suche/")
    search = page.locator(box)

    search.press_sequentially("möll", delay=40)

    suggestion = page.get_by_role("option", name="Kiosk an der Möllerbrücke")
    expect(suggestion).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[role=status]").filter(has_text="Vorschlag")).to_have_count(1)
    search.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    search.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiosk an der Möllerbrücke")
    assert tab.console_errors == []


def test_escape_closes_suggestions_and_enter_searches(demo_city, live_server, visit):
    tab = visit({"width": 390, "height": 844})
    page = tab.page
    page.goto(live_server.url + "/suche/")
    search = page.locator("#search-page-q")
    search.press_sequentially("Kiosk", delay=30)
    listbox = page.locator("#search-suggestions")
    expect(listbox).to_be_visible()
    search.press("Escape")
    expect(listbox).to_be_hidden()
    expect(search).to_have_value("Kiosk")

    search.press("Enter")

    expect(page.get_by_role("heading", name=re.compile(r"^\d+ Betriebe$"))).to_be_visible()
    expect(page.get_by_role("link", name="Kiosk an der Möllerbrücke", exact=True)).to_be_visible()
    tab.screenshot("search-phone")
    assert tab.console_errors == []


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}]
)
def test_a_typo_finds_the_pizzeria_and_asks_did_you_mean(demo_city, live_server, visit, viewport):
    tab = visit(viewport)
    page = tab.page
    page.goto(live_server.url + "/suche/")
    search = page.locator("#search-page-q")
    search.press_sequentially("Pizzaria", delay=30)
    search.press("Enter")  # no name starts with the typo: nothing to choose, the form submits

    notice = page.get_by_role("status").filter(has_text="Meinten Sie")
    expect(notice).to_contain_text("Nichts gefunden für „Pizzaria“. Meinten Sie „Pizzeria“?")
    expect(page.get_by_role("heading", name="1 Betrieb", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Pizzeria Da Enzo", exact=True)).to_be_visible()
    tab.screenshot(f"search-did-you-mean-{viewport['width']}")

    notice.get_by_role("link", name="„Pizzeria“").click()
    expect(search).to_have_value("Pizzeria")
    expect(page.get_by_text("Meinten Sie")).to_have_count(0)
    expect(page.get_by_role("link", name="Pizzeria Da Enzo", exact=True)).to_be_visible()
    assert tab.console_errors == []
