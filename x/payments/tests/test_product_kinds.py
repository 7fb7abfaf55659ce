"""A product kind plugs into the money core without a line of payments/ changed: the gadget of
utils.py (a stand-in for a ticket or a shop order) is placed, paid through the buyer's pages,
booked, refunded by an editor as far as its kind allows, and every step is in the order's log."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from payments import selectors, services
from payments.models import LedgerEntry, Order, Refund
from payments.providers import PaymentError, get_provider
from payments.registry import ProductKind, UnknownKind, register_kind
from payments.rights import grant_order_rights
from payments_demo.provider import DemoProvider

from .utils import GADGET, half_refundable, issued, place_gadget


@pytest.fixture
def moderator(django_user_model):
    """A member of Wagtail's Moderators, who may refund."""
    grant_order_rights()
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(user)
    return user, client


def pay_in_the_browser(client, order: Order) -> str:
    """The buyer pays on the order's page with the demo provider and comes back to it."""
    response = client.post(f"/bestellung/{order.reference}/bezahlen/")
    assert response.status_code == 302 and response["Location"].startswith("/zahlung/demo/")
    back = client.post(response["Location"], {"decision": "pay"})
    assert back["Location"] == f"/bestellung/{order.reference}/"
    return client.get(back["Location"]).content.decode()


def test_a_new_kind_is_sold_paid_booked_and_refunded(client, merchant, buyer, site, moderator):
    register_kind(
        ProductKind(
            name=GADGET,
            label="Gadget",
            fulfil=lambda order: services.log_action(order, "gadget.issued"),
            refundable=half_refundable,
        )
    )
    order = place_gadget(merchant=merchant, amount=3000, buyer=buyer, site=site)
    assert order.status == Order.Status.PENDING and order.get_kind_display() == "Gadget"

    page = pay_in_the_browser(client, order)

    assert "Vielen Dank!" in page
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and issued(order) == 1
    assert list(order.ledger_entries.values_list("kind", "amount")) == [("payment", 3000)]
    assert selectors.merchant_support(merchant) == {"raised": 3000, "supporters": 1}
    assert selectors.site_raised(site) == 3000

    # The kind keeps half: the editor's page offers 15 €, and more is refused with its reason.
    user, admin = moderator
    detail = admin.get(f"/admin/orders/{order.pk}/").content.decode()
    assert "Gadget" in detail and "15\N{NO-BREAK SPACE}€" in detail
    too_much = admin.post(
        f"/admin/orders/{order.pk}/", {"action": "amount", "amount": "20", "refunded_before": 0}
    )
    assert too_much.status_code == 400
    assert "At most half of a gadget" in too_much.content.decode()
    done = admin.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 0}
    )
    assert done.status_code == 302

    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    [refund] = order.refunds.all()
    assert (refund.amount, refund.state, refund.source, refund.user) == (
        1500,
        Refund.State.DONE,
        Refund.Source.EDITOR,
        user,
    )
    assert list(order.ledger_entries.values_list("kind", "amount", "refund")) == [
        ("payment", 3000, None),
        ("refund", -1500, refund.pk),
    ]
    assert selectors.raised(LedgerEntry.objects.filter(merchant=merchant)) == 1500
    assert selectors.order_refundable(order) == (0, "At most half of a gadget's price is refunded.")
    assert list(order.log_entries.values_list("action", flat=True)) == [
        "order.placed",
        "payment.pending",
        "payment.succeeded",
        "order.paid",
        "gadget.issued",
        "refund.done",
        "order.partially_refunded",
    ]
    assert order.log_entries.get(action="refund.done").user == user
    history = admin.get(f"/admin/orders/{order.pk}/").content.decode()
    assert 'data-refund-state="done"' in history and 'data-action="refund.done"' in history


def test_a_refund_the_provider_refuses_is_kept_as_failed_and_books_nothing(
    merchant, buyer, site, monkeypatch
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    services.payment_start(order=order, return_url="http://testserver/")
    payment = order.payments.get()
    DemoProvider.decide(payment.reference, pay=True)
    services.payment_sync(payment=payment)

    def refuse(self, payment, amount):
        raise PaymentError("The demo payment cannot be refunded by this amount.")

    monkeypatch.setattr(DemoProvider, "refund", refuse)
    with pytest.raises(PaymentError):
        services.refund_create(order=order, amount=1000)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    [refund] = order.refunds.all()
    assert (refund.state, refund.amount) == (Refund.State.FAILED, 1000)
    assert "cannot be refunded" in refund.error
    assert not order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).exists()
    assert selectors.order_refundable(order) == (2500, "")  # nothing was taken back


def test_an_unknown_kind_or_provider_is_refused(merchant, buyer, site, settings):
    with pytest.raises(UnknownKind):
        services.order_place(
            site=site,
            merchant=merchant,
            kind="nothing-registered",
            amount=100,
            item="?",
            buyer_name=buyer.name,
            buyer_email=buyer.email,
        )
    assert not Order.objects.exists()
    settings.PAYMENT_PROVIDER = "cash-in-an-envelope"
    with pytest.raises(PaymentError, match="No payment provider"):
        get_provider()


@pytest.mark.parametrize("amount", [0, -5, 100001])
def test_amounts_outside_the_limits_are_refused(merchant, buyer, site, amount):
    with pytest.raises(services.OrderRefused):
        place_gadget(merchant=merchant, amount=amount, buyer=buyer, site=site)
    assert not Order.objects.exists()
