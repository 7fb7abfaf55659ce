"""One order, several payment attempts (two tabs, the back button, a slow payment), and money
that arrives when the order can no longer take it: never charged twice for good, never oversold,
never kept. With the demo provider; the same against localstripe is in
payments_stripe/tests/test_stripe.py. What is sold is a throwaway product kind (utils.py)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.jobs import job_lock
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import LedgerEntry, Order, Payment
from payments.providers import PaymentError
from payments_demo.models import DemoTransaction
from payments_demo.provider import DemoProvider

from .utils import GADGET, GADGET_STOCK, Buyer, issued, pay_with_demo, place_gadget

pytestmark = pytest.mark.django_db

S = Order.Status


def start(order) -> Payment:
    payment_services.payment_start(order=order, return_url="http://testserver/")
    return order.payments.latest("pk")


def ledger(order, kind=LedgerEntry.Kind.PAYMENT) -> list[int]:
    return list(order.ledger_entries.filter(kind=kind).values_list("amount", flat=True))


def demo_state(payment) -> str:
    return DemoTransaction.objects.get(reference=payment.reference).state


def age(order, minutes=31) -> None:
    """The order was placed `minutes` ago (past the 30 minute reservation by default)."""
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


@pytest.fixture
def no_cancel(monkeypatch):
    """A provider that cannot cancel a started payment (as some cannot): the demo, told so."""
    monkeypatch.setattr(DemoProvider, "supports_cancel", False)


# --- a new attempt deals with the previous one first ---------------------------------------


def test_a_new_attempt_cancels_the_abandoned_one(client, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first = start(order)
    second = start(order)  # the back button, then "Pay now" again
    first.refresh_from_db()
    assert first.state == Payment.State.CANCELLED
    assert demo_state(first) == DemoTransaction.State.CANCELLED
    # The first payment page, still open in another tab, can no longer take money.
    client.post(f"/zahlung/demo/{first.reference}/", {"decision": "pay"})
    order.refresh_from_db()
    assert order.status == S.PENDING
    assert ledger(order) == []

    DemoProvider.decide(second.reference, pay=True)
    assert payment_services.payment_sync(payment=second).status == S.PAID
    assert ledger(order) == [2500]


def test_paying_again_after_paying_in_another_tab_starts_nothing(client, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first = start(order)
    DemoProvider.decide(first.reference, pay=True)  # paid; the return URL has not come yet

    response = client.post(f"/bestellung/{order.reference}/bezahlen/", follow=True)
    html = response.content.decode()
    assert "Diese Bestellung ist bereits bezahlt." in html
    assert "Vielen Dank!" in html
    assert "Jetzt bezahlen" not in html
    assert order.payments.count() == 1
    assert ledger(order) == [2500]


def test_a_cancelled_attempt_does_not_fail_the_order_of_the_next(merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first = start(order)
    start(order)
    payment_services.payment_sync(payment=first)  # the provider reports the cancel (a webhook, say)
    order.refresh_from_db()
    assert order.status == S.PENDING


# --- a second success all the same: booked and given back ----------------------------------


def test_a_second_payment_is_booked_and_refunded(
    no_cancel, client, editor_client, merchant, buyer, site, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first, second = start(order), start(order)
    with django_capture_on_commit_callbacks(execute=True):
        for payment in (first, second):
            client.post(f"/zahlung/demo/{payment.reference}/", {"decision": "pay"})
            client.get(f"/bestellung/{order.reference}/")
        client.get(f"/bestellung/{order.reference}/")  # reloaded: nothing more

    order.refresh_from_db()
    assert order.status == S.PAID
    assert issued(order) == 1
    assert ledger(order) == [2500, 2500]
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-2500]
    demo = DemoTransaction.objects.in_bulk(
        [first.reference, second.reference], field_name="reference"
    )
    assert (demo[first.reference].refunded, demo[second.reference].refunded) == (0, 2500)
    assert payment_selectors.merchant_support(merchant) == {"raised": 2500, "supporters": 1}
    assert [mail.subject for mail in mailoutbox] == [
        "Your gadget",  # the seller confirms the order, once
        "Ihre Zahlung an Kiosk an der Möllerbrücke wurde erstattet",
    ]
    assert "zweimal bezahlt. Die zweite Zahlung über 25\N{NO-BREAK SPACE}€" in mailoutbox[1].body

    # The editor's refund refunds the payment the order kept.
    page = editor_client.get(f"/admin/orders/{order.pk}/")
    assert page.status_code == 200 and first.reference in page.content.decode()
    assert page.content.decode().count("(als Überzahlung erstattet)") == 2  # its payment, refund
    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 0}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert DemoTransaction.objects.get(reference=first.reference).refunded == 2500
    assert payment_selectors.raised(order.ledger_entries.all()) == 0


# --- reservations run out ------------------------------------------------------------------


def test_expire_orders_cancels_orders_past_their_reservation(client, merchant, buyer, site):
    stale = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    stale_attempt = start(stale)
    paid_meanwhile = place_gadget(merchant=merchant, amount=1000, buyer=buyer, site=site)
    DemoProvider.decide(start(paid_meanwhile).reference, pay=True)  # never came back
    fresh = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    age(stale), age(paid_meanwhile)

    call_command("expire_orders")

    for order in (stale, paid_meanwhile, fresh):
        order.refresh_from_db()
    assert stale.status == S.CANCELLED
    assert demo_state(stale_attempt) == DemoTransaction.State.CANCELLED
    assert paid_meanwhile.status == S.PAID  # its money arrived: kept, not cancelled
    assert fresh.status == S.PENDING
    html = client.get(f"/bestellung/{stale.reference}/").content.decode()
    assert "abgelaufen" in html and "Jetzt bezahlen" not in html


def test_an_expired_order_cannot_be_paid_again(client, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    start(order)
    age(order)
    page = client.get(f"/bestellung/{order.reference}/").content.decode()
    assert "abgelaufen" in page and "Jetzt bezahlen" not in page
    # A pay form from before, sent now.
    response = client.post(f"/bestellung/{order.reference}/bezahlen/", follow=True)
    assert "Diese Bestellung ist abgelaufen" in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.payments.count() == 1
    # Sent once more, after the cancel: the same answer.
    response = client.post(f"/bestellung/{order.reference}/bezahlen/", follow=True)
    assert "Diese Bestellung ist abgelaufen" in response.content.decode()
    assert order.payments.count() == 1


def test_money_for_a_cancelled_order_is_refunded(
    no_cancel, client, merchant, buyer, site, mailoutbox, django_capture_on_commit_callbacks
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    attempt = start(order)
    age(order)
    call_command("expire_orders")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/zahlung/demo/{attempt.reference}/", {"decision": "pay"})
        html = client.get(f"/bestellung/{order.reference}/").content.decode()

    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert issued(order) == 0
    assert ledger(order) == [2500] and ledger(order, LedgerEntry.Kind.REFUND) == [-2500]
    assert DemoTransaction.objects.get(reference=attempt.reference).refunded == 2500
    assert payment_selectors.merchant_support(merchant) == {"raised": 0, "supporters": 0}
    assert "erstattet" in html
    assert [mail.subject for mail in mailoutbox] == [
        "Ihre Zahlung an Kiosk an der Möllerbrücke wurde erstattet"
    ]


def test_a_late_payment_never_oversells(merchant, buyer, site, mailoutbox):
    GADGET_STOCK[merchant.pk] = 1
    late = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    late_attempt = start(late)
    age(late)  # its reservation is over: the last gadget is free again
    other = Buyer(name="Max Muster", email="max@example.org")
    pay_with_demo(place_gadget(merchant=merchant, amount=2500, buyer=other, site=site))

    DemoProvider.decide(late_attempt.reference, pay=True)  # the late buyer pays all the same
    late = payment_services.payment_sync(payment=late_attempt)

    assert late.status == S.CANCELLED
    assert Order.objects.filter(kind=GADGET, status=S.PAID).count() == 1  # one sold, not two
    assert issued(late) == 0
    assert DemoTransaction.objects.get(reference=late_attempt.reference).refunded == 2500
    assert payment_selectors.raised(late.ledger_entries.all()) == 0


def test_a_refund_the_provider_cannot_make_now_is_made_by_the_next_run(
    no_cancel, monkeypatch, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first, second = start(order), start(order)
    DemoProvider.decide(first.reference, pay=True)
    DemoProvider.decide(second.reference, pay=True)
    payment_services.payment_sync(payment=first)

    def unavailable(self, payment, amount):
        raise PaymentError("down")

    with monkeypatch.context() as patched:
        patched.setattr(DemoProvider, "refund", unavailable)
        with pytest.raises(PaymentError):
            payment_services.payment_sync(payment=second)
    assert ledger(order) == [2500, 2500] and ledger(order, LedgerEntry.Kind.REFUND) == []

    call_command("expire_orders")
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-2500]
    assert DemoTransaction.objects.get(reference=second.reference).refunded == 2500
    call_command("expire_orders")
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-2500]


def test_expire_orders_does_nothing_while_another_run_holds_the_job_lock(merchant, buyer, site):
    stale = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    age(stale)
    with job_lock("expire_orders"):  # a run on another machine, still under way
        call_command("expire_orders")
        stale.refresh_from_db()
        assert stale.status == S.PENDING
    call_command("expire_orders")
    stale.refresh_from_db()
    assert stale.status == S.CANCELLED
