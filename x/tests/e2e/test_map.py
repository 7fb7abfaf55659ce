"""The city map in a real browser: clusters, popups, filters in the URL, near me, no tiles."""

import re

import pytest
from playwright.sync_api import expect

from directory.models import Initiative, MerchantPage

pytestmark = pytest.mark.django_db(transaction=True)

KIOSK = "Kiosk an der Möllerbrücke"


@pytest.fixture
def demo_city(demo_city):
    """The demo city (conftest.py); the number of merchants on the map."""
    return MerchantPage.objects.live().count()


def status(page):
    return page.locator("#map-status")


def test_map_shows_clusters_and_a_popup_leads_to_the_portrait(demo_city, live_server, visit):
    tab = visit()
    page = tab.page
    page.goto(live_server.url + "/betriebe/")

    expect(status(page)).to_have_text(f"{demo_city} Betriebe auf der Karte")
    expect(page.locator(".map-cluster").first).to_be_visible()
    # The list alternative is there too, without any script.
    first = MerchantPage.objects.live().order_by("title").first()
    expect(page.locator(".merchant-list__item").first).to_contain_text(first.title)

    # Zoom in far enough (one cluster click at a time) until the kiosk is a marker of its own.
    kiosk = page.locator(f".map-point[title='{KIOSK}']")
    for _ in range(8):
        if kiosk.count():
            break
        page.evaluate(
            "document.getElementById('city-map').cityMap.map.setView([51.50735, 7.4533], "
            "document.getElementById('city-map').cityMap.map.getZoom() + 1, {animate: false})"
        )
    expect(kiosk).to_be_visible()
    kiosk.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Kiosk")  # category, loaded from the detail endpoint
    expect(popup).to_contain_text("Zeitungen, Kaltgetränke")
    popup.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(KIOSK)
    tab.screenshot("map-desktop")
    assert tab.console_errors == []
    assert tab.foreign_requests == []


def test_filters_update_map_and_url_and_survive_reload(demo_city, live_server, visit):
    kiosks = MerchantPage.objects.live().filter(category__slug="kiosk").count()
    tab = visit({"width": 390, "height": 844})
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(status(page)).to_have_text(f"{demo_city} Betriebe auf der Karte")

    page.get_by_label("Kategorie").select_option("kiosk")

    expect(status(page)).to_have_text(f"{kiosks} Betriebe auf der Karte")
    expect(page).to_have_url(re.compile(r"/betriebe/\?category=kiosk$"))
    page.reload()
    expect(page.get_by_label("Kategorie")).to_have_value("kiosk")
    expect(status(page)).to_have_text(f"{kiosks} Betriebe auf der Karte")
    # The server-rendered list follows the same filter after the reload.
    expect(page.locator(".merchant-list__item")).to_have_count(kiosks)
    tab.screenshot("map-phone")
    assert tab.console_errors == []


def test_near_me_centres_on_the_visitor(demo_city, live_server, browser):
    context = browser.new_context(
        geolocation={"latitude": 51.50735, "longitude": 7.4533},
        permissions=["geolocation"],
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.route("https://tiles.invalid/**", lambda route: route.fulfill(status=204))
    page.goto(live_server.url + "/betriebe/")
    expect(status(page)).to_contain_text("Betriebe auf der Karte")

    page.get_by_role("button", name="In meiner Nähe").click()

    expect(page.locator(f".map-point[title='{KIOSK}']")).to_be_visible()
    context.close()


def test_markers_show_when_tiles_cannot_load(demo_city, live_server, visit):
    tab = visit(tiles=False)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(page.locator("#city-map.map--no-tiles")).to_have_count(1)
    expect(page.locator(".map-cluster").first).to_be_visible()


def test_merchant_page_has_a_small_map(demo_city, live_server, visit):
    tab = visit()
    kiosk = MerchantPage.objects.get(title=KIOSK)
    tab.page.goto(live_server.url + kiosk.url)
    expect(tab.page.locator(".mini-map.leaflet-container")).to_be_visible()
    # Leaflet's controls speak the page's language, not English ("Zoom in").
    expect(tab.page.get_by_role("button", name="Vergrößern")).to_have_attribute(
        "title", "Vergrößern"
    )
    expect(tab.page.get_by_role("button", name="Verkleinern")).to_be_visible()
    assert tab.console_errors == []


def test_embedded_map_shows_only_the_initiative(demo_city, live_server, visit):
    bvb = Initiative.objects.get(hashtag="#BorussiaVerbindet")
    expected = bvb.merchants.live().count()
    tab = visit({"width": 600, "height": 400})
    tab.page.goto(live_server.url + f"/embed/map/?initiative={bvb.slug}")
    expect(status(tab.page)).to_have_text(f"{expected} Betriebe auf der Karte")
    expect(tab.page.locator("header")).to_have_count(0)
    assert tab.console_errors == []
