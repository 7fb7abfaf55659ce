"""A resident buys a voucher (demo provider, and Stripe played by localstripe), gets it by mail,
the merchant redeems part of it at the counter on a phone, and the balance page shows the rest."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from payments.models import Order
from tests.e2e.conftest import PHONE, VOUCHER_CODE, sign_in_at_the_counter

pytestmark = pytest.mark.django_db(transaction=True)
pytest_plugins = ["payments_stripe.tests.localstripe"]


def buy_voucher(resident_tab, base, kiosk, name):
    resident = resident_tab.page
    resident.goto(base + kiosk.url)
    resident.locator("#unterstuetzen").scroll_into_view_if_needed()
    resident_tab.page.screenshot(path="test-artifacts/merchant-offers-phone.png")
    # The offers box's button (the same one also stands under the merchant's name).
    resident.locator("#unterstuetzen").get_by_role("link", name="Gutschein kaufen").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Gutschein kaufen")
    resident.get_by_label("25\N{NO-BREAK SPACE}€").check()
    resident.get_by_label("Ihr Name").fill(name)
    resident.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    resident.get_by_role("button", name="Weiter zur Zahlung").click()


def code_from_the_mail() -> str:
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    [(filename, pdf, mimetype)] = message.attachments
    assert filename.endswith(".pdf") and mimetype == "application/pdf" and pdf.startswith(b"%PDF")
    return VOUCHER_CODE.search(message.body).group(0)


def redeem_part_and_check_the_rest(visit, base, code, tab_name):
    # The merchant redeems 10 € at the counter, on a phone.
    till_tab = visit(PHONE)
    till = sign_in_at_the_counter(till_tab.page, base)
    till.get_by_label("Gutscheincode").fill(code.lower())
    till.get_by_role("button", name="Suchen").click()
    expect(till.get_by_text("Guthaben: 25\N{NO-BREAK SPACE}€")).to_be_visible()
    till.get_by_label("Betrag in Euro").fill("10")
    till.get_by_role("button", name="Betrag einlösen").click()
    expect(
        till.get_by_text("10\N{NO-BREAK SPACE}€ eingelöst. Auf dem Gutschein sind noch")
    ).to_be_visible()
    till_tab.screenshot(f"redeem-{tab_name}-phone")

    # The buyer checks what is left.
    check_tab = visit(PHONE)
    check = check_tab.page
    check.goto(base + "/gutschein/guthaben/")
    check.get_by_label("Gutscheincode").fill(code)
    check.get_by_role("button", name="Guthaben prüfen").click()
    expect(check.get_by_text("15\N{NO-BREAK SPACE}€").first).to_be_visible()
    check_tab.screenshot(f"voucher-balance-{tab_name}-phone")
    for tab in (till_tab, check_tab):
        assert tab.console_errors == [], tab.console_errors
        assert tab.foreign_requests == []


def test_buy_with_the_demo_provider_redeem_part_and_see_the_rest(kiosk, live_server, visit):
    base = live_server.url
    resident_tab = visit(PHONE)
    resident = resident_tab.page
    buy_voucher(resident_tab, base, kiosk, "Erika Mustermann")
    expect(resident.get_by_text("Testmodus: Es fließt kein Geld.")).to_be_visible()
    resident_tab.screenshot("demo-payment-phone")
    resident.get_by_role("button", name="Bezahlen (Test)").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")
    resident_tab.screenshot("thank-you-phone")
    assert resident_tab.console_errors == []
    assert resident_tab.foreign_requests == []

    redeem_part_and_check_the_rest(visit, base, code_from_the_mail(), "demo")


def test_buy_with_stripe_redeem_part_and_see_the_rest(
    kiosk, live_server, visit, localstripe, stripe_webhooks
):
    base = live_server.url
    resident_tab = visit(PHONE, allow_hosts=[urlsplit(localstripe.url).netloc])
    resident = resident_tab.page
    buy_voucher(resident_tab, base, kiosk, "Erika Mustermann")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Zahlung")
    # Stripe.js comes from the configured URL: localstripe's stand-in, never a CDN.
    # A function, not an expression: Playwright evaluates a polled expression string with eval,
    # which the page's CSP (no 'unsafe-eval') refuses whenever the first check comes too early.
    resident.wait_for_function("() => typeof Stripe === 'function'", timeout=10_000)
    resident_tab.screenshot("stripe-payment-phone")
    # localstripe's fake Stripe.js has no Payment Element: the page says so instead of breaking.
    expect(resident.get_by_text("Das Zahlungsformular konnte nicht geladen werden")).to_be_visible()
    order = Order.objects.get(buyer_email="erika@example.org")
    payment = order.payments.get()
    # What the Payment Element does when the buyer submits a card. localstripe's fake Stripe.js
    # has no Payment Element / confirmPayment, so the test confirms the intent as Stripe.js would.
    assert localstripe.pay(payment.reference) == "succeeded"
    resident.goto(base + f"/bestellung/{order.reference}/")  # Stripe's redirect to return_url
    expect(resident.get_by_role("heading", level=1)).to_have_text("Vielen Dank!")
    localstripe.wait_for_deliveries("payment_intent.succeeded", 1)
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.ledger_entries.count() == 1  # the webhook and the return URL: booked once

    redeem_part_and_check_the_rest(visit, base, code_from_the_mail(), "stripe")
