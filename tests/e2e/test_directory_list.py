"""The directory page (/betriebe/) as residents use it: the list follows the filters and the
map area, the map can be crossed and used by keyboard, "Near me" sorts the list, and on a
phone a toggle switches between map and list."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from directory.models import MerchantPage

from .conftest import KIOSK, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
KIOSK_POSITION = {"latitude": 51.50735, "longitude": 7.4533}
BOTH_SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def merchants(n: int) -> str:
    return f"{n} Betrieb" if n == 1 else f"{n} Betriebe"


def heading(page):
    return page.locator("#list-heading")


def zoom_to(page, latitude, longitude, zoom):
    page.evaluate(
        "([lat, lng, zoom]) => document.getElementById('city-map').cityMap.map"
        ".setView([lat, lng], zoom, {animate: false})",
        [latitude, longitude, zoom],
    )


def focused(page, script="el => el"):
    return page.evaluate(f"(({script}))(document.activeElement)")


@BOTH_SIZES
def test_filters_update_the_list_and_both_counts_without_reload(
    kiosk, live_server, visit, viewport
):
    live = MerchantPage.objects.live()
    expected = live.filter(category__slug="kiosk", has_voucher_offer=True).count()
    assert expected == 1  # the kiosk: singular on both counts
    tab = visit(viewport)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(heading(page)).to_have_text(merchants(live.count()))
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Kategorie").select_option("kiosk")
    page.get_by_label("Verkauft Gutscheine").check()

    expect(heading(page)).to_have_text("1 Betrieb")
    expect(page.locator("#map-status")).to_have_text("1 Betrieb auf der Karte")
    expect(page.locator(".merchant-list__item")).to_have_count(1)
    expect(page.locator(".merchant-list__item").first).to_contain_text(KIOSK)
    assert page.evaluate("window.notReloaded") is True
    expect(page).to_have_url(re.compile(r"\?category=kiosk&offers=voucher$"))

    page.get_by_label("Verkauft Gutscheine").uncheck()
    kiosks = live.filter(category__slug="kiosk").count()
    expect(heading(page)).to_have_text(merchants(kiosks))
    expect(page.locator("#map-status")).to_have_text(f"{merchants(kiosks)} auf der Karte")
    tab.screenshot(f"directory-filtered-{viewport['width']}")
    assert tab.console_errors == []


def test_search_this_area_limits_list_and_count_to_the_visible_map(demo_city, live_server, visit):
    total = MerchantPage.objects.live().count()
    tab = visit(DESKTOP)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(page.locator("#map-status")).to_have_text(f"{total} Betriebe auf der Karte")
    zoom_to(page, KIOSK_POSITION["latitude"], KIOSK_POSITION["longitude"], 16)

    page.get_by_role("button", name="In diesem Bereich suchen").click()

    expect(page).to_have_url(re.compile(r"bbox="))
    west, south, east, north = (
        float(v) for v in parse_qs(urlsplit(page.url).query)["bbox"][0].split(",")
    )
    inside = MerchantPage.objects.live().filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )
    count = inside.count()
    assert 0 < count < total
    in_area = f"{merchants(count)} in diesem Bereich"
    expect(heading(page)).to_have_text(in_area)
    expect(page.locator("#map-status")).to_have_text(in_area)
    expect(page.locator(".merchant-list__item")).to_have_count(count)
    expect(page.locator(".merchant-list")).to_contain_text(KIOSK)
    tab.screenshot("directory-area")

    page.get_by_role("link", name="Ganze Stadt zeigen").click()
    expect(heading(page)).to_have_text(merchants(total))
    expect(page.locator("#map-status")).to_have_text(f"{total} Betriebe auf der Karte")
    assert "bbox" not in page.url
    assert tab.console_errors == []


@BOTH_SIZES
def test_keyboard_skips_the_map_and_is_never_trapped(demo_city, live_server, visit, viewport):
    tab = visit(viewport)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(page.locator(".map-cluster").first).to_be_visible()
    near_me = page.get_by_role("button", name="In meiner Nähe")

    # Tabbing straight through the map passes every marker once and gets out of it: to the
    # list beside the map, or on a phone (map view) past it to the footer.
    goal = "footer" if viewport == PHONE else "list"
    near_me.focus()
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        name = focused(page, "el => el.tagName + '.' + el.className")
        assert not name.startswith("BODY"), f"focus dropped to the page after {seen[-3:]}"
        seen.append(name)
        where = focused(
            page,
            "el => el.closest('#merchant-list') ? 'list' : el.closest('footer') ? 'footer' : ''",
        )
        if where == goal:
            break
    else:
        pytest.fail(f"Tab never got past the map: {seen}")
    markers = [s for s in seen if "map-point" in s or "map-cluster" in s]
    assert markers, seen

    # One Tab after "Near me": the skip link, shown, and Enter lands on the list.
    near_me.focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Karte überspringen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(heading(page)).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page, "el => el.className") == "merchant-list__name"
    assert tab.console_errors == []


def test_markers_and_clusters_are_named_buttons_for_enter_and_space(demo_city, live_server, visit):
    tab = visit(DESKTOP)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(page.get_by_role("button", name="Vergrößern")).to_be_visible()
    expect(page.get_by_role("button", name="Verkleinern")).to_be_visible()
    cluster = page.get_by_role("button", name=re.compile(r"^Gruppe mit \d+ Betrieben$")).first
    expect(cluster).to_be_visible()

    # Space on a cluster zooms in, and focus moves to one of its members.
    zoom = page.evaluate("document.getElementById('city-map').cityMap.map.getZoom()")
    cluster.focus()
    page.keyboard.press(" ")
    # Functions, not expression strings: polled strings go through eval, which the CSP refuses.
    page.wait_for_function(
        "zoom => document.getElementById('city-map').cityMap.map.getZoom() > zoom", arg=zoom
    )
    page.wait_for_function("() => document.activeElement.matches('.map-point, .map-cluster')")

    # Enter on a marker opens its popup; focus goes into it, Escape brings it back.
    zoom_to(page, KIOSK_POSITION["latitude"], KIOSK_POSITION["longitude"], 18)
    marker = page.get_by_role("button", name=KIOSK, exact=True)
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Zeitungen, Kaltgetränke")
    link = popup.get_by_role("link", name="Mehr über diesen Betrieb")
    expect(link).to_be_focused()
    expect(page.get_by_role("button", name="Schließen")).to_be_visible()
    tab.screenshot("directory-keyboard-popup")
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(marker).to_be_focused()
    assert tab.console_errors == []


def located_visit(browser, live_server, viewport, allow: bool):
    context = browser.new_context(geolocation=KIOSK_POSITION, viewport=viewport, locale="de-DE")
    if allow:
        context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.route("http://tiles.invalid/**", lambda route: route.fulfill(status=204))
    page.route("https://tiles.invalid/**", lambda route: route.fulfill(status=204))
    page.goto(live_server.url + "/betriebe/")
    expect(page.locator("#map-status")).to_contain_text("auf der Karte")
    return context, page


def distance_in_metres(text: str) -> float:
    number, unit = text.split()
    value = float(number.replace(",", "."))
    return value if unit == "m" else value * 1000


@BOTH_SIZES
def test_near_me_sorts_the_list_by_distance(demo_city, live_server, browser, viewport):
    context, page = located_visit(browser, live_server, viewport, allow=True)
    page.get_by_role("button", name="In meiner Nähe").click()

    expect(page.locator("#near-status")).to_have_text(
        "Die Liste ist nach Entfernung von Ihrem Standort sortiert."
    )
    first = page.locator(".merchant-list__item").first
    expect(first).to_contain_text(KIOSK)
    expect(first.locator(".merchant-list__distance")).to_have_text(
        re.compile(r"Entfernung: \d+ m$")
    )
    distances = [
        distance_in_metres(t.removeprefix("Entfernung:").strip())
        for t in page.locator(".merchant-list__distance").all_inner_texts()
    ]
    assert len(distances) == 24  # a full first page
    assert distances == sorted(distances)
    assert any(
        re.fullmatch(r"\d+,\d km", t.split(": ")[-1].strip())
        for t in page.locator(".merchant-list__distance").all_text_contents()
    )
    assert "near" not in page.url  # the position stays out of the address bar
    if viewport == PHONE:
        page.get_by_role("button", name="Liste").click()

    # Filters keep the distance order.
    kiosks = MerchantPage.objects.live().filter(category__slug="kiosk").count()
    page.get_by_label("Kategorie").select_option("kiosk")
    expect(page.locator(".merchant-list__distance")).to_have_count(kiosks)
    expect(page.locator(".merchant-list__item").first).to_contain_text(KIOSK)
    page.wait_for_load_state("networkidle")
    context.close()


def test_near_me_says_so_when_the_location_is_refused(demo_city, live_server, browser):
    context, page = located_visit(browser, live_server, PHONE, allow=False)
    page.get_by_role("button", name="In meiner Nähe").click()
    message = page.locator("#near-status")
    expect(message).to_have_text(re.compile("Zugriff auf Ihren Standort nicht erlaubt"))
    expect(message).to_have_attribute("aria-live", "polite")
    expect(message).to_be_visible()
    first = MerchantPage.objects.live().order_by("title").first()
    expect(page.locator(".merchant-list__item").first).to_contain_text(first.title)
    expect(page.locator(".merchant-list__distance")).to_have_count(0)
    context.close()


def test_phone_toggles_between_map_and_list(demo_city, live_server, visit):
    tab = visit(PHONE)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    map_button = page.get_by_role("button", name="Karte", exact=True)
    list_button = page.get_by_role("button", name="Liste", exact=True)
    expect(map_button).to_be_in_viewport()  # above the filters, reachable at once

    list_button.click()
    expect(list_button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#city-map")).to_be_hidden()
    expect(heading(page)).to_be_in_viewport()

    map_button.click()
    expect(map_button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#merchant-list")).to_be_hidden()
    expect(page.locator("#city-map")).to_be_in_viewport(ratio=0.9)
    expect(page.locator(".map-cluster").first).to_be_visible()
    tab.screenshot("directory-phone-map")

    # The skip link leads to the list even from the map view.
    page.get_by_role("button", name="In meiner Nähe").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(heading(page)).to_be_focused()
    expect(list_button).to_have_attribute("aria-pressed", "true")
    assert tab.console_errors == []


def test_desktop_shows_map_and_list_side_by_side_without_toggle(demo_city, live_server, visit):
    tab = visit(DESKTOP)
    page = tab.page
    page.goto(live_server.url + "/betriebe/")
    expect(page.locator(".map-cluster").first).to_be_visible()
    expect(page.get_by_role("button", name="Liste", exact=True)).to_be_hidden()
    expect(page.locator("#city-map")).to_be_visible()
    expect(page.locator(".merchant-list__item").first).to_be_visible()
