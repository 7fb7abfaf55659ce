"""Reads of what the portal holds about a buyer, found by their e-mail address: the money core's
orders, payments and refunds here, the sellers' details through privacy.hooks."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from wagtail import hooks

from payments.models import Order

from .hooks import BUYER_DATA_EXPORT, BUYER_DATA_RETAINED


def normalised(email: str) -> str:
    return email.strip().lower()


def buyer_orders(email: str) -> QuerySet[Order]:
    """Every order placed with this address (as typed: the comparison ignores case)."""
    email = normalised(email)
    if not email:
        return Order.objects.none()
    return Order.objects.filter(buyer_email__iexact=email)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _order(order: Order) -> dict:
    return {
        "order_number": order.number,
        "reference": str(order.reference),
        "merchant": order.merchant.title,
        "kind": order.kind,
        "item": order.item,
        "amount_cents": order.amount,
        "currency": order.currency,
        "status": order.status,
        "created_at": _when(order.created_at),
        "paid_at": _when(order.paid_at),
        "buyer_name": order.buyer_name,
        "buyer_email": order.buyer_email,
        "payments": [
            {
                "provider": payment.provider,
                "state": payment.state,
                "amount_cents": payment.amount,
                "currency": payment.currency,
                "created_at": _when(payment.created_at),
            }
            for payment in order.payments.order_by("created_at", "pk")
        ],
        "refunds": [
            {
                "amount_cents": refund.amount,
                "currency": refund.currency,
                "state": refund.state,
                "created_at": _when(refund.created_at),
            }
            for refund in order.refunds.order_by("created_at", "pk")
        ],
    }


def seller_sections(email: str, orders: QuerySet[Order]) -> dict:
    sections: dict = {}
    for hook in hooks.get_hooks(BUYER_DATA_EXPORT):
        sections.update(hook(email, orders) or {})
    return sections


def buyer_export(email: str) -> dict:
    """Everything held under this address, for the buyer's download."""
    email = normalised(email)
    orders = buyer_orders(email).select_related("merchant").order_by("created_at", "pk")
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "orders": [_order(order) for order in orders],
        **seller_sections(email, orders),
    }


def holds_data(email: str) -> bool:
    """Whether anything at all is held under this address (never told to the person asking)."""
    email = normalised(email)
    if not email:
        return False
    orders = buyer_orders(email)
    if orders.exists():
        return True
    return any(seller_sections(email, orders).values())


def retention_due(before: datetime) -> QuerySet[Order]:
    """Orders placed before `before` that still name their buyer, less those a seller still
    needs (a voucher with money left on it)."""
    due = Order.objects.filter(created_at__lt=before).exclude(buyer_email="", buyer_name="")
    retained: set[int] = set()
    for hook in hooks.get_hooks(BUYER_DATA_RETAINED):
        retained.update(hook(due) or ())
    return due.exclude(pk__in=retained)
