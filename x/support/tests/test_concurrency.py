"""Many people at once, on PostgreSQL (SQLite serialises every write, so it cannot race):
a limited stock is never oversold, a voucher never goes below zero, a payment that the webhook
and the return URL report at the same moment is fulfilled once."""

import pytest
from django.db import connection

from core.testing import run_at_once
from payments import services as payment_services
from payments.models import LedgerEntry, Order, Payment, Refund
from payments_demo.provider import DemoProvider
from support import services
from support.models import Voucher, VoucherOffer

from .conftest import pay_with_demo

pytestmark = [
    # Migrations made the root page and the locale: keep them for every test here.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test on PG)"
    ),
]


def test_fifty_buyers_ten_vouchers(merchant, site):
    VoucherOffer.objects.filter(page=merchant).update(stock=10)

    def buy(i):
        buyer = services.Buyer(name=f"Käufer {i}", email=f"k{i}@example.org")
        order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
        pay_with_demo(order)
        return order

    results = run_at_once(50, buy)
    sold = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, payment_services.OrderRefused)]
    assert len(sold) == 10
    assert len(refused) == 40, [
        r for r in results if not isinstance(r, Order | payment_services.OrderRefused)
    ]
    assert all("verkauft" in str(error) for error in refused)
    assert Order.objects.filter(status="paid").count() == 10
    assert Voucher.objects.count() == 10
    assert LedgerEntry.objects.filter(kind="payment").count() == 10


def test_two_tills_cannot_spend_the_same_euro(merchant, site, buyer):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)
    voucher = Voucher.objects.get(order=order)  # worth 27.50 €

    results = run_at_once(
        20, lambda i: services.voucher_redeem(voucher=voucher, merchant=merchant, amount=500)
    )
    done = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, services.RedemptionRefused)]
    assert (len(done), len(refused)) == (5, 15)
    assert voucher.balance() == 250


def test_webhook_and_return_url_at_the_same_moment_fulfil_once(merchant, site, buyer):

    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    payment_services.payment_start(order=order, return_url="http://testserver/")
    payment = Payment.objects.get(order=order)
    DemoProvider.decide(payment.reference, pay=True)

    results = run_at_once(8, lambda i: payment_services.payment_fulfil(payment=payment))
    assert sorted(results) == [False] * 7 + [True]
    assert Voucher.objects.filter(order=order).count() == 1
    assert LedgerEntry.objects.filter(order=order).count() == 1


def test_two_tabs_paying_at_once_leave_one_payable_attempt(merchant, site, buyer):

    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    results = run_at_once(
        6, lambda i: payment_services.payment_start(order=order, return_url="http://testserver/")
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    # Each attempt cancelled the one before it: whichever tab the buyer pays in last, one pays.
    attempts = Payment.objects.filter(order=order)
    assert attempts.count() == 6
    assert attempts.filter(state=Payment.State.PENDING).count() == 1
    for payment in attempts:
        DemoProvider.decide(payment.reference, pay=True)
        payment_services.payment_sync(payment=payment)
    assert LedgerEntry.objects.filter(order=order).count() == 1
    assert Voucher.objects.filter(order=order).count() == 1


def test_refunds_and_redemptions_at_once_never_spend_a_voucher_twice(merchant, site, buyer):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)
    voucher = Voucher.objects.get(order=order)  # 25 € paid, worth 27.50 €

    def work(i):
        if i % 2:
            return payment_services.refund_create(
                order=order, amount=500
            )  # takes 5.50 € of the value
        return services.voucher_redeem(voucher=voucher, merchant=merchant, amount=550)

    results = run_at_once(12, work)
    assert not [
        r
        for r in results
        if not isinstance(
            r, LedgerEntry | Refund | payment_services.OrderRefused | services.RedemptionRefused
        )
    ], results
    # Five times 5.50 € fit into 27.50 €, whether spent or refunded; the rest was refused.
    done = [r for r in results if isinstance(r, LedgerEntry | Refund)]  # redeemed, refunded
    assert len(done) == 5
    assert all(r.state == Refund.State.DONE for r in done if isinstance(r, Refund))
    assert voucher.redeemed() + voucher.refunded_value() == voucher.value
    assert voucher.balance() == 0


def test_ten_tills_take_back_one_redemption_once(merchant, site, buyer):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)
    voucher = Voucher.objects.get(order=order)  # worth 27.50 €
    entry = services.voucher_redeem(voucher=voucher, merchant=merchant, amount=1000)

    results = run_at_once(
        10,
        lambda i: services.voucher_redemption_reverse(
            voucher=voucher, merchant=merchant, entry_id=entry.pk
        ),
    )
    done = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, services.RedemptionRefused)]
    assert (len(done), len(refused)) == (1, 9), results
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
    assert voucher.balance() == 2750
