"""Support's part of a buyer's data rights (privacy.hooks): the vouchers, gifts and supporter-wall
messages of their orders, and of vouchers given to them. Imported from wagtail_hooks."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from wagtail import hooks

from payments.models import Order
from privacy.hooks import BUYER_DATA_ERASE, BUYER_DATA_EXPORT, BUYER_DATA_RETAINED

from .models import SupportOrder, Voucher


def _voucher(voucher: Voucher, role: str) -> dict:
    details = voucher.order.support
    return {
        "order_number": voucher.order.number,
        "role": role,  # "bought" or "received"
        "merchant": voucher.merchant.title,
        "value_cents": voucher.value,
        "balance_cents": voucher.balance(),
        "currency": voucher.currency,
        "valid_until": voucher.valid_until.isoformat(),
        "code_ends_with": voucher.code_hint,
        "recipient_name": details.recipient_name,
        "recipient_email": details.recipient_email,
        "gift_message": details.gift_message,
        "redemptions": [
            {"amount_cents": -entry.amount, "booked_at": entry.created_at.isoformat()}
            for entry in voucher.redemptions.order_by("created_at", "pk")
        ],
    }


@hooks.register(BUYER_DATA_EXPORT)
def export_buyer_data(email: str, orders: QuerySet[Order]) -> dict:
    vouchers = Voucher.objects.select_related("order__support", "merchant")
    bought = vouchers.filter(order__in=orders)
    received = vouchers.filter(order__support__recipient_email__iexact=email).exclude(
        order__in=orders
    )
    wall = (
        SupportOrder.objects.filter(order__in=orders)
        .exclude(supporter_name="", supporter_message="")
        .select_related("order__merchant")
    )
    return {
        "vouchers": [_voucher(v, "bought") for v in bought.order_by("created_at", "pk")]
        + [_voucher(v, "received") for v in received.order_by("created_at", "pk")],
        "wall_messages": [
            {
                "order_number": details.order.number,
                "merchant": details.order.merchant.title,
                "name": details.supporter_name,
                "message": details.supporter_message,
                "status": details.wall,
            }
            for details in wall.order_by("order__created_at", "pk")
        ],
    }


@hooks.register(BUYER_DATA_ERASE)
def erase_buyer_data(orders: QuerySet[Order], email: str | None) -> None:
    """Gift recipients and wall messages leave the orders; their vouchers keep value and code.
    Nobody is left to remind of a voucher's expiry: the reminder counts as sent."""
    own = SupportOrder.objects.filter(order__in=orders)
    own.exclude(wall="").update(wall=SupportOrder.Wall.HIDDEN)
    own.update(
        recipient_name="",
        recipient_email="",
        gift_message="",
        supporter_name="",
        supporter_message="",
    )
    Voucher.objects.filter(order__in=orders, reminder_sent_at=None).update(
        reminder_sent_at=timezone.now()
    )
    if email:  # a voucher given to this address: the buyer's order keeps it, without them
        SupportOrder.objects.filter(recipient_email__iexact=email).update(
            recipient_name="", recipient_email="", gift_message=""
        )


@hooks.register(BUYER_DATA_RETAINED)
def orders_with_open_vouchers(orders: QuerySet[Order]) -> list[int]:
    """A voucher with money left, still valid, needs its order's buyer (a lost code is sent
    again to them)."""
    open_vouchers = Voucher.objects.filter(
        order__in=orders, valid_until__gte=timezone.localdate()
    ).exclude(order__status=Order.Status.REFUNDED)
    return [voucher.order_id for voucher in open_vouchers if voucher.balance() > 0]
