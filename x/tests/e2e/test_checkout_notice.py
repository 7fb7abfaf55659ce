"""Before paying, a resident on a phone sees what they agree to: for a donation that it is not
tax-deductible, the terms and privacy policy one tap away, and the site's legal pages and the
balance check in the footer."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

NOT_DEDUCTIBLE = (
    "Spenden an Betriebe sind keine steuerlich absetzbaren Spenden; eine "
    "Zuwendungsbestätigung kann nicht ausgestellt werden."
)


def test_the_donation_checkout_states_the_tax_notice_before_payment_on_a_phone(
    kiosk, live_server, visit
):
    tab = visit(PHONE)
    page = tab.page
    page.goto(f"{live_server.url}/unterstuetzen/{kiosk.pk}/spende/")
    notice = page.get_by_role("region", name="Vor der Zahlung")
    expect(notice).to_contain_text(NOT_DEDUCTIBLE)
    expect(notice).not_to_contain_text("Gutschein")
    # Within the phone's width, and above the button that leads to the payment.
    box = notice.bounding_box()
    button = page.get_by_role("button", name="Weiter zur Zahlung").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] + box["height"] <= button["y"]
    notice.scroll_into_view_if_needed()
    tab.screenshot("checkout-donation-notice-phone")

    notice.get_by_role("link", name="Nutzungsbedingungen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nutzungsbedingungen")
    expect(page.get_by_text("Widerrufsbelehrung")).to_be_visible()
    footer = page.locator("footer")
    for name in ("Impressum", "Datenschutzerklärung", "Gutschein-Guthaben prüfen"):
        expect(footer.get_by_role("link", name=name)).to_be_visible()
    footer.get_by_role("link", name="Gutschein-Guthaben prüfen").click()
    expect(page.get_by_label("Gutscheincode")).to_be_visible()
    assert tab.console_errors == [], tab.console_errors


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 900}])
def test_the_header_search_placeholder_is_not_cut_off(demo_city, live_server, visit, viewport):
    tab = visit(viewport)
    page = tab.page
    page.goto(live_server.url + "/")
    if viewport is PHONE:
        page.get_by_role("button", name="Menü").click()
    field = page.locator("#site-search")
    expect(field).to_have_attribute("placeholder", "Betriebe, Geschichten …")
    # The placeholder's width in the field's font against the room inside the field.
    overflow = field.evaluate(
        """(input) => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return context.measureText(input.placeholder).width - room;
        }"""
    )
    assert overflow <= 0, f"placeholder {overflow:.0f}px too wide"
