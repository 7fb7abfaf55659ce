"""The counter's money actions: "redeem all" asks before it books, a mistaken redemption can
be taken back (a storno, a ledger entry of its own) by its merchant for a short while, and a
refunded voucher says so."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from payments import services as payment_services
from payments.models import LedgerEntry, OrderLogEntry
from payments.money import format_money
from support import selectors, services

from .test_admin import CODE_A, CODE_B, de, lookup, redeem, world  # noqa: F401

pytestmark = pytest.mark.django_db

COUNTER = "/admin/support/redeem/"


def storno(client, entry, confirm=True):
    data = {"action": "storno", "entry": entry.pk}
    if confirm:
        data["confirm"] = "1"
    return client.post(COUNTER, data)


def redeemed(world, amount=1000) -> LedgerEntry:  # noqa: F811
    """Merchant A redeems `amount` cents of their voucher at the counter."""
    lookup(world["client"], CODE_A)
    assert redeem(world["client"], "amount", 2750, format_money(amount)[:-2]).status_code == 302
    return world["voucher_a"].redemptions.get()


def test_redeem_all_asks_first_and_books_only_when_confirmed(world):  # noqa: F811
    client, voucher = world["client"], world["voucher_a"]
    lookup(client, CODE_A)

    response = redeem(client, "all", 2750, confirm=False)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Den ganzen Restwert von 27,50\N{NO-BREAK SPACE}€ einlösen?" in body
    assert 'name="confirm" value="1"' in body
    assert not voucher.redemptions.exists() and voucher.balance() == 2750

    assert redeem(client, "all", 2750).status_code == 302  # the confirmation
    assert voucher.balance() == 0
    # Nothing left: no money buttons at all, no "Alles einlösen (0 €)".
    page = client.get(COUNTER).content.decode()
    assert 'value="all"' not in page and 'value="amount"' not in page
    assert "Dieser Gutschein wurde vollständig eingelöst." in page


def test_the_big_button_redeems_the_amount_entered(world):  # noqa: F811
    lookup(world["client"], CODE_A)
    page = world["client"].get(COUNTER).content.decode()
    amount = re.search(r'<button[^>]*value="amount"[^>]*>', page).group(0)
    everything = re.search(r'<button[^>]*value="all"[^>]*>', page).group(0)
    assert 'class="button"' in amount  # primary
    assert "button-secondary" in everything
    assert page.index('value="amount"') < page.index('value="all"')


def test_a_storno_gives_the_amount_back_as_a_ledger_entry_of_its_own(world, editor_client):  # noqa: F811
    client, voucher = world["client"], world["voucher_a"]
    entry = redeemed(world, 1000)
    assert voucher.balance() == 1750
    page = client.get(COUNTER).content.decode()
    assert "Zurücknehmen" in page

    response = storno(client, entry, confirm=False)  # asks first
    assert response.status_code == 200
    assert "Die Einlösung von 10\N{NO-BREAK SPACE}€" in response.content.decode()
    assert not LedgerEntry.objects.filter(reverses=entry).exists()

    assert storno(client, entry).status_code == 302

    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.kind == LedgerEntry.Kind.REDEMPTION and reversal.amount == 1000
    assert reversal.order_id == entry.order_id and reversal.merchant_id == entry.merchant_id
    assert reversal.user == world["a"].user
    assert voucher.balance() == 2750  # restored
    assert voucher.redemptions.count() == 2  # the mistake stays in the books, with its storno
    assert selectors.income_totals(world["a"].page)["redeemed"] == 0
    assert selectors.income_totals(world["a"].page)["open_vouchers"] == 2750
    log = OrderLogEntry.objects.get(order=voucher.order, action="voucher.redemption_reversed")
    assert log.user == world["a"].user and log.data["entry"] == entry.pk
    page = client.get(COUNTER).content.decode()
    assert "Storno der Einlösung vom" in page
    assert "Zurücknehmen" not in page  # nothing left to take back
    # The editors' order page shows both entries, the storno as such.
    detail = editor_client.get(f"/admin/orders/{voucher.order.pk}/").content.decode()
    assert "Einlösung (Storno)" in detail


def test_a_redemption_is_taken_back_only_once(world):  # noqa: F811
    client = world["client"]
    entry = redeemed(world, 1000)
    assert storno(client, entry).status_code == 302
    response = storno(client, entry)  # the same form again (double tap, a second till)
    assert response.status_code == 400
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
    assert world["voucher_a"].balance() == 2750
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redemption_reverse(
            voucher=world["voucher_a"], merchant=world["a"].page, entry_id=entry.pk
        )
    # A storno is not itself taken back.
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert storno(client, reversal).status_code == 400
    # And the database refuses a second storno whatever the code above it does.
    with pytest.raises(IntegrityError), transaction.atomic():
        payment_services.redemption_reverse(entry=entry)


def test_a_storno_is_possible_only_within_the_window(world, settings):  # noqa: F811
    settings.SUPPORT_REDEMPTION_STORNO_MINUTES = 15
    entry = redeemed(world, 1000)
    late = timezone.now() - datetime.timedelta(minutes=16)
    LedgerEntry.objects.filter(pk=entry.pk).update(created_at=late)
    page = world["client"].get(COUNTER).content.decode()
    assert "Zurücknehmen" not in page
    assert storno(world["client"], entry, confirm=False).status_code == 400
    response = storno(world["client"], entry)
    assert response.status_code == 400
    assert "innerhalb von 15 Minuten" in response.content.decode()
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
    assert world["voucher_a"].balance() == 1750


def test_another_merchant_cannot_take_back_a_redemption(world):  # noqa: F811
    entry = redeemed(world, 1000)
    # Merchant B at their own counter, with their own voucher open, posts A's redemption.
    lookup(world["client_b"], CODE_B)
    assert storno(world["client_b"], entry).status_code == 400
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redemption_reverse(
            voucher=world["voucher_a"], merchant=world["b"].page, entry_id=entry.pk
        )
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
    assert world["voucher_a"].balance() == 1750


def test_a_voucher_whose_rest_was_refunded_says_refunded(world):  # noqa: F811
    client, voucher = world["client"], world["voucher_a"]  # 25 € paid, worth 27.50 €
    redeemed(world, 1100)
    payment_services.refund_create(order=voucher.order, amount=None)  # the unredeemed share
    assert voucher.balance() == 0
    page = client.get(COUNTER).content.decode()
    assert "Dieser Gutschein wurde erstattet und ist nicht mehr gültig." in page
    assert "vollständig eingelöst" not in page
    assert 'value="all"' not in page and 'value="amount"' not in page


def test_refund_all_asks_first_and_leaves_no_zero_euro_button(world, editor_client):  # noqa: F811
    order = world["donation_a"]  # 15 €
    url = f"/admin/orders/{order.pk}/"
    response = editor_client.post(url, {"action": "all", "refunded_before": 0})
    assert response.status_code == 200
    body = response.content.decode()
    assert "15\N{NO-BREAK SPACE}€ jetzt an Max Muster erstatten?" in body
    assert 'name="confirm" value="1"' in body
    order.refresh_from_db()
    assert order.status == "paid" and not order.refunds.exists()

    response = editor_client.post(url, {"action": "all", "confirm": "1", "refunded_before": 0})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "refunded"
    page = editor_client.get(url).content.decode()
    assert 'value="all"' not in page and "(0\N{NO-BREAK SPACE}€)" not in page
    assert "Erstattet: 15\N{NO-BREAK SPACE}€." in page
