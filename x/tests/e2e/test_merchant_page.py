"""A merchant's page on a phone: the support actions on the first screen and in reach while
scrolling, the name readable in full, and sharing (links, the browser's own share sheet) on the
merchant's page, a story and the thank-you page, always with the merchant's public address."""

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from directory.models import MerchantPage
from pages.models import StoryPage
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("SHOTS_DIR", "test-artifacts")
DESKTOP = {"width": 1366, "height": 900}

# navigator.share stubbed before any page script runs: it records what it was asked to share.
STUB_SHARE = """
window.__shared = [];
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: function (data) { window.__shared.push(data); return Promise.resolve(); },
});
"""

# Elements that reach past the right edge of the screen (the page scrolls sideways).
WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("main *")]
  .filter(e => !e.closest(".leaflet-container"))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))
  .slice(0, 6)"""


def shot(tab, name, full_page=False):
    os.makedirs(SHOTS, exist_ok=True)
    tab.page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)


def within_screen(box, viewport) -> bool:
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def shared_address(page) -> str:
    """The address the page's Facebook link hands over (all the links name the same one)."""
    href = page.locator(".share__link--facebook").get_attribute("href")
    return parse_qs(urlsplit(href).query)["u"][0]


def test_on_a_phone_buying_a_voucher_is_on_the_first_screen_and_stays_in_reach(
    kiosk, live_server, visit
):
    tab = visit(PHONE)
    page = tab.page
    page.goto(live_server.url + kiosk.url)

    buy = page.locator(".merchant-actions").get_by_role("link", name="Gutschein kaufen")
    donate = page.locator(".merchant-actions").get_by_role("link", name="Spenden")
    expect(buy).to_be_visible()
    box = buy.bounding_box()
    assert box["y"] < PHONE["height"], box
    assert within_screen(box, PHONE), box
    assert within_screen(donate.bounding_box(), PHONE)
    shot(tab, "merchant-actions-phone")

    # Further down, past hours, address and map, the buttons are still on the screen.
    page.locator("#contact-heading").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    assert page.evaluate("window.scrollY") > PHONE["height"]
    assert within_screen(buy.bounding_box(), PHONE), buy.bounding_box()
    shot(tab, "merchant-actions-phone-scrolled")

    buy.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gutschein kaufen")
    assert tab.console_errors == []
    assert tab.foreign_requests == []


def test_the_merchants_name_is_readable_in_full_on_a_phone(kiosk, live_server, visit):
    # The demo's title picture carries no lettering to be cropped: each column is one colour
    # (a gradient from left to right), where the name used to be drawn across the middle.
    with PILImage.open(kiosk.hero_image.file.path) as picture:
        picture = picture.convert("L").resize((120, 60))
        spread = max(
            max(column) - min(column)
            for column in (
                [picture.getpixel((x, y)) for y in range(picture.height)]
                for x in range(picture.width)
            )
        )
    assert spread < 24, f"lettering in the title picture (contrast {spread} in one column)"

    # The name is text, wrapped within the screen, even as one long word.
    long_name = "Zeitschriftenundtabakwarenfachgeschäft an der Möllerbrücke"
    MerchantPage.objects.filter(pk=kiosk.pk).update(title=long_name)
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        tab = visit(viewport)
        page = tab.page
        page.goto(live_server.url + kiosk.url)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_have_text(long_name)
        shot(tab, f"merchant-name-{name}")
        assert heading.evaluate("h => h.scrollWidth <= h.clientWidth")
        assert within_screen(heading.bounding_box(), viewport), heading.bounding_box()
        assert page.evaluate(WIDER_THAN_THE_SCREEN) == []


def test_the_merchant_page_and_a_story_share_their_own_address(kiosk, live_server, visit):
    tab = visit(PHONE)
    page = tab.page
    tab.context.add_init_script(STUB_SHARE)
    page.goto(live_server.url + kiosk.url)

    share = page.locator(".share")
    for name in ("E-Mail", "WhatsApp", "Facebook", "X (Twitter)"):
        expect(share.get_by_role("link", name=f"Teilen über {name}")).to_be_visible()
    assert shared_address(page) == live_server.url + kiosk.url
    share.get_by_role("button", name="Teilen").click()
    assert page.evaluate("window.__shared") == [
        {"title": kiosk.title, "url": live_server.url + kiosk.url}
    ]
    share.scroll_into_view_if_needed()
    shot(tab, "merchant-share-phone")

    story = StoryPage.objects.get(merchant=kiosk)
    page.goto(live_server.url + story.url)
    expect(page.locator(".share").get_by_role("link", name="Teilen über WhatsApp")).to_be_visible()
    assert shared_address(page) == live_server.url + story.url
    page.locator(".share").get_by_role("button", name="Teilen").click()
    assert page.evaluate("window.__shared")[0]["url"] == live_server.url + story.url
    assert tab.console_errors == []
    assert tab.foreign_requests == []


def test_without_web_share_there_are_links_and_no_dead_button(kiosk, live_server, visit):
    tab = visit(DESKTOP)  # desktop Chromium on Linux has no navigator.share
    page = tab.page
    page.goto(live_server.url + kiosk.url)
    assert page.evaluate("typeof navigator.share") == "undefined"

    share = page.locator(".share")
    expect(share.get_by_role("link", name="Teilen über Facebook")).to_be_visible()
    expect(share.get_by_role("button", name="Teilen")).to_be_hidden()
    share.scroll_into_view_if_needed()
    shot(tab, "merchant-share-desktop")


def test_the_thank_you_page_shares_the_merchant_not_the_order(kiosk, live_server, visit):
    tab = visit(PHONE)
    page = tab.page
    tab.context.add_init_script(STUB_SHARE)
    page.goto(live_server.url + kiosk.url)
    page.locator(".merchant-actions").get_by_role("link", name="Gutschein kaufen").click()
    page.get_by_label("25\N{NO-BREAK SPACE}€").check()
    page.get_by_label("Ihr Name").fill("Erika Mustermann")
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Weiter zur Zahlung").click()
    page.get_by_role("button", name="Bezahlen (Test)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")
    order_url = page.url
    assert "/bestellung/" in order_url

    merchant_url = live_server.url + kiosk.url
    share = page.locator(".share")
    expect(share.get_by_role("link", name="Teilen über WhatsApp")).to_be_visible()
    assert shared_address(page) == merchant_url
    for link in share.get_by_role("link").all():
        href = link.get_attribute("href")
        assert "bestellung" not in href and urlsplit(order_url).path not in href, href
    whatsapp = share.get_by_role("link", name="Teilen über WhatsApp").get_attribute("href")
    text = parse_qs(urlsplit(whatsapp).query)["text"][0]
    assert text == f"Ich habe gerade {kiosk.title} unterstützt. Mach mit: {merchant_url}"

    share.get_by_role("button", name="Teilen").click()
    [shared] = page.evaluate("window.__shared")
    assert shared["url"] == merchant_url
    assert shared["text"].startswith("Ich habe gerade Kiosk an der Möllerbrücke unterstützt.")
    shot(tab, "thank-you-share-phone", full_page=True)
    assert tab.console_errors == []
    assert tab.foreign_requests == []
