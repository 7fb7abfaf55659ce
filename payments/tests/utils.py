"""A throwaway product kind for the money core's and the providers' tests: what a ticket or a
shop order will be, registered by a test without a line of payments/ changed. A gadget is
issued (logged on its order) and confirmed by mail when paid; a merchant may limit how many
they sell (GADGET_STOCK)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from wagtail.models import Site

from directory.tests.factories import MerchantPageFactory
from payments import services
from payments.models import Order
from payments.registry import ProductKind, register_kind, unregister_kind

GADGET = "test-gadget"
GADGET_STOCK: dict[int, int] = {}  # merchant id -> how many may be sold


@dataclass
class Buyer:
    name: str = "Erika Mustermann"
    email: str = "erika@example.org"


def issue_gadget(order: Order) -> None:
    services.log_action(order, "gadget.issued")
    transaction.on_commit(
        lambda: mail.send_mail("Your gadget", order.item, None, [order.buyer_email])
    )


def gadget_in_stock(order: Order) -> bool:
    stock = GADGET_STOCK.get(order.merchant_id)
    if stock is None:
        return True
    sold = Order.objects.filter(
        kind=GADGET, merchant_id=order.merchant_id, status__in=Order.PAID_STATUSES
    )
    return sold.exclude(pk=order.pk).count() < stock


def half_refundable(order: Order, left: int, *, lock: bool = False) -> tuple[int, str]:
    """A kind that keeps half of the price, say a handling fee: refunds stop at the other half."""
    share = max(0, order.amount // 2 - (order.amount - left))
    return share, "At most half of a gadget's price is refunded."


def issued(order: Order) -> int:
    """How often the gadget of this order was issued (exactly once once paid, or never)."""
    return order.log_entries.filter(action="gadget.issued").count()


def order_url(order: Order) -> str:
    """The order page, absolute: where providers send the buyer back."""
    return "http://testserver" + reverse("payments:order", args=[order.reference])


def place_gadget(*, merchant, amount: int, buyer: Buyer, site) -> Order:
    return services.order_place(
        site=site,
        merchant=merchant,
        kind=GADGET,
        amount=amount,
        item=f"Gadget for {amount} cents",
        buyer_name=buyer.name,
        buyer_email=buyer.email,
    )


@contextmanager
def gadget_registered():
    """The gadget kind, registered while inside (module-scoped worlds place orders with it)."""
    kind = register_kind(
        ProductKind(
            name=GADGET,
            label="Gadget",
            fulfil=issue_gadget,
            in_stock=gadget_in_stock,
            thanks=lambda order: f"Your gadget is on its way to {order.buyer_email}.",
        )
    )
    try:
        yield kind
    finally:
        unregister_kind(GADGET)
        GADGET_STOCK.clear()


@pytest.fixture(autouse=True)
def gadget_kind():
    with gadget_registered() as kind:
        yield kind


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def merchant(directory_page):
    return MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")


@pytest.fixture
def buyer():
    return Buyer()


def pay_with_demo(order: Order):
    """Start a demo payment for `order`, let the buyer pay, and sync it like the return URL."""
    from payments_demo.provider import DemoProvider

    services.payment_start(order=order, return_url=order_url(order))
    payment = order.payments.latest("created_at")
    DemoProvider.decide(payment.reference, pay=True)
    services.payment_sync(payment=payment)
    return payment
