"""Orders move through explicit states, are fulfilled exactly once, and every cent is booked."""

import csv
import io
import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Sum

from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import LedgerEntry, Order
from payments_demo.models import DemoTransaction
from support import codes, selectors, services
from support.models import Voucher, VoucherOffer

from .conftest import pay_with_demo

pytestmark = pytest.mark.django_db

S = Order.Status


def test_fulfilment_happens_once_however_often_it_is_triggered(merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = pay_with_demo(order)
    # The webhook arrives, then the return URL, then the webhook is replayed.
    for _ in range(3):
        payment_services.payment_sync(payment=payment)
    assert payment_services.payment_fulfil(payment=payment) is False
    assert Voucher.objects.filter(order=order).count() == 1
    assert LedgerEntry.objects.filter(order=order).count() == 1
    order.refresh_from_db()
    assert order.status == S.PAID and order.paid_at is not None


def test_a_pending_payment_fulfils_nothing(merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    payment_services.payment_start(order=order, return_url="http://testserver/")
    payment_services.payment_sync(payment=order.payments.get())
    order.refresh_from_db()
    assert order.status == S.PENDING
    assert not LedgerEntry.objects.exists()
    assert not Voucher.objects.exists()


def test_voucher_value_includes_the_bonus_and_validity_runs_to_year_end(merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=2000, buyer=buyer, site=site)
    pay_with_demo(order)
    voucher = Voucher.objects.get(order=order)
    assert voucher.value == 2200
    assert voucher.valid_until == date(date.today().year + 3, 12, 31)
    assert voucher.balance() == 2200


def test_stock_counts_paid_and_recently_reserved_orders(merchant, buyer, site):
    VoucherOffer.objects.filter(page=merchant).update(stock=2)
    paid = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    pay_with_demo(paid)
    services.order_voucher(
        merchant=merchant, amount=1000, buyer=buyer, site=site
    )  # pending: holds the last one
    with pytest.raises(payment_services.OrderRefused):
        services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    # An abandoned reservation expires and frees its voucher.
    Order.objects.filter(status=S.PENDING).update(created_at=paid.created_at - timedelta(hours=1))
    services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)


def test_refunds_part_then_the_rest(merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=5000, buyer=buyer, site=site)
    pay_with_demo(order)
    payment_services.refund_create(order=order, amount=2000)
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_REFUNDED
    with pytest.raises(payment_services.OrderRefused):
        payment_services.refund_create(order=order, amount=3001)
    payment_services.refund_create(order=order, amount=3000)
    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert payment_selectors.raised(LedgerEntry.objects.filter(merchant=merchant)) == 0
    assert payment_selectors.merchant_support(merchant) == {"raised": 0, "supporters": 0}


def test_a_refund_takes_its_share_of_the_voucher(paid_voucher, merchant):
    order = paid_voucher.order  # 25 € paid, worth 27.50 €
    payment_services.refund_create(
        order=order, amount=1000
    )  # 10 € back: 11 € of the value go with them
    assert paid_voucher.balance() == 1650
    with pytest.raises(services.RedemptionRefused, match="16,50"):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1651)
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1650)
    assert paid_voucher.balance() == 0


def test_only_the_unredeemed_part_of_a_voucher_is_refunded(paid_voucher, merchant):
    order = paid_voucher.order  # 25 € paid, worth 27.50 €
    services.voucher_redeem(
        voucher=paid_voucher, merchant=merchant, amount=1100
    )  # 11 € spent at the counter: 10 € paid
    nbsp = "\N{NO-BREAK SPACE}"
    refused = f"Höchstens 15{nbsp}€ .* 11{nbsp}€ des Gutscheins wurden bereits eingelöst"
    with pytest.raises(payment_services.OrderRefused, match=refused):
        payment_services.refund_create(order=order, amount=2500)
    with pytest.raises(payment_services.OrderRefused):
        payment_services.refund_create(order=order, amount=1501)
    assert order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).count() == 0

    payment_services.refund_create(order=order, amount=1500)
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_REFUNDED
    assert paid_voucher.balance() == 0  # nothing left to spend, nothing left to refund
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1)
    with pytest.raises(payment_services.OrderRefused, match="Höchstens 0"):
        payment_services.refund_create(order=order, amount=1)
    assert payment_selectors.raised(order.ledger_entries.all()) == 1000
    demo = DemoTransaction.objects.get(reference=order.payments.get().reference)
    assert demo.refunded == 1500


def test_a_spent_voucher_cannot_be_refunded(paid_voucher, merchant):
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=paid_voucher.value)
    with pytest.raises(payment_services.OrderRefused, match="Höchstens 0"):
        payment_services.refund_create(order=paid_voucher.order, amount=1)


def test_unpaid_orders_cannot_be_refunded(merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    with pytest.raises(payment_services.OrderRefused):
        payment_services.refund_create(order=order, amount=1000)


def test_redeem_in_parts_never_below_zero(paid_voucher, merchant):
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1000)
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1500)
    assert paid_voucher.balance() == 250
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=251)
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=0)
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=250)
    assert paid_voucher.balance() == 0
    spent = LedgerEntry.objects.filter(order__voucher=paid_voucher, kind="redemption")
    assert spent.aggregate(total=Sum("amount"))["total"] == -paid_voucher.value


def test_redeem_refuses_foreign_expired_and_refunded_vouchers(
    paid_voucher, merchant, directory_page
):
    from directory.tests.factories import MerchantPageFactory

    other = MerchantPageFactory(parent=directory_page)
    with pytest.raises(services.RedemptionRefused):
        services.voucher_redeem(voucher=paid_voucher, merchant=other, amount=100)
    Voucher.objects.filter(pk=paid_voucher.pk).update(valid_until=date.today() - timedelta(days=1))
    with pytest.raises(services.RedemptionRefused, match="abgelaufen"):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=100)
    Voucher.objects.filter(pk=paid_voucher.pk).update(valid_until=date.today())
    payment_services.refund_create(order=paid_voucher.order, amount=paid_voucher.order.amount)
    with pytest.raises(services.RedemptionRefused, match="erstattet"):
        services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=100)
    assert paid_voucher.redeemed() == 0
    assert paid_voucher.balance() == 0  # the refund took the whole value back


def test_ledger_sums_equal_every_total_shown(client, editor_client, merchant, buyer, site):
    merchant.save_revision().publish()
    campaign = merchant.campaigns.get()
    for amount in (1000, 2500):
        pay_with_demo(
            services.order_voucher(merchant=merchant, amount=amount, buyer=buyer, site=site)
        )
    pay_with_demo(services.order_donation(merchant=merchant, amount=777, buyer=buyer, site=site))
    refunded = services.order_campaign(merchant=merchant, amount=4000, buyer=buyer, site=site)
    pay_with_demo(refunded)
    pay_with_demo(services.order_campaign(merchant=merchant, amount=6000, buyer=buyer, site=site))
    payment_services.refund_create(order=refunded, amount=1500)

    # The ledger holds exactly what was paid and refunded; its sums are the figures to show.
    ledger = LedgerEntry.objects.filter(kind__in=["payment", "refund"])
    assert sorted(ledger.values_list("amount", flat=True)) == [-1500, 777, 1000, 2500, 4000, 6000]
    assert ledger.aggregate(t=Sum("amount"))["t"] == 12777
    assert ledger.filter(order__support__campaign=campaign).aggregate(t=Sum("amount"))["t"] == 8500

    # 5 supporters: the partly refunded campaign order still counts.
    page = client.get(merchant.url).content.decode()
    assert "Schon 5 Unterstützer·innen, insgesamt 127,77\N{NO-BREAK SPACE}€." in page
    # The campaign bar: 85 € of the 5,000 € goal is 1 % (rounded down), from 2 supporters.
    assert (
        "<strong>85\N{NO-BREAK SPACE}€</strong> von 5.000\N{NO-BREAK SPACE}€ (1 %)"
        " · 2 Unterstützer·innen" in page
    )
    assert 'max="500000" value="8500"' in page
    home = client.get("/").content.decode()
    assert "Schon <strong>127,77\N{NO-BREAK SPACE}€</strong>" in home

    # The editors' report and its CSV: all cities, the city, the merchant and the campaign.
    report = editor_client.get("/admin/support-report/").content.decode()
    report = re.sub(r"[ \n]+", " ", report)  # the layout's spaces; amounts keep their NBSP
    csv_file = editor_client.get("/admin/support-report/csv/").content.decode("utf-8-sig")
    csv_rows = {
        (row[1], row[3], row[4]) for row in csv.reader(io.StringIO(csv_file), delimiter=";")
    }
    for name, raised, supporters in (
        ("Gesamt", "127,77", 5),
        ("Dortmund", "127,77", 5),
        (merchant.title, "127,77", 5),
        (campaign.title, "85,00", 2),
    ):
        shown = raised.removesuffix(",00") + "\N{NO-BREAK SPACE}€"
        cells = f'<th scope="row">{name}</th> <td>[^<]*</td> <td>{shown}</td> <td>{supporters}</td>'
        assert re.search(cells, report), name
        assert (name, raised, str(supporters)) in csv_rows, name


ALPHABET_WITHOUT_LOOKALIKES = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


def test_codes_are_long_random_and_unambiguous():
    count = 5000
    sample = [codes.new_code() for _ in range(count)]
    assert len(set(sample)) == count
    assert all(len(code) == 20 for code in sample)
    assert set("".join(sample)) == set(ALPHABET_WITHOUT_LOOKALIKES)

    # Every character at every position about equally often: chi-square with 31 degrees of
    # freedom averages 31; a fair generator exceeds 100 at one of 20 positions once in 10^7 runs.
    expected = count / 32
    for position in range(20):
        seen = Counter(code[position] for code in sample)
        assert set(seen) == set(ALPHABET_WITHOUT_LOOKALIKES), position
        chi_square = sum(
            (seen[ch] - expected) ** 2 / expected for ch in ALPHABET_WITHOUT_LOOKALIKES
        )
        assert chi_square < 100, (position, seen)
    # The positions are independent (no repeated or derived groups): any two agree in about
    # 1 code of 32 (156 of 5000, give or take 12; 100 off happens once in 10^11 runs).
    for first in range(20):
        for second in range(first + 1, 20):
            same = sum(code[first] == code[second] for code in sample)
            assert abs(same - expected) < 100, (first, second, same)

    # Printed in five groups of four, and read back however it is typed.
    for code in sample[:100]:
        printed = codes.printable(code)
        assert re.fullmatch(r"([2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}", printed), printed
        assert codes.normalise(printed.lower().replace(" ", "-")) == code

    # From the operating system's CSPRNG, not from `random`: reseeding it repeats nothing.
    random.seed(80)
    first = [codes.new_code() for _ in range(3)]
    random.seed(80)
    assert not set(first) & {codes.new_code() for _ in range(3)}


def test_vouchers_are_found_by_code_however_typed_and_only_by_hash(paid_voucher, mailoutbox):
    body = mailoutbox[-1].body
    match = re.search(r"([2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}", body)
    assert match, body
    code = match.group(0)
    assert selectors.voucher_by_code(code.lower().replace(" ", "-")) == paid_voucher
    stored = Voucher.objects.values_list("code_digest", "code_hint").get()
    assert code.replace(" ", "") not in "".join(stored)
    assert selectors.voucher_by_code(code[:-1] + ("2" if code[-1] != "2" else "3")) is None
