"""Writes: the only code that creates or changes orders, payments, refunds and ledger entries.
Keyword-only arguments, no HttpRequest (return URLs are passed in). Reads are in selectors."""

from .ledger import redemption_book, redemption_reverse
from .log import log_action
from .orders import (
    EXPIRED,
    OrderRefused,
    order_expire,
    order_place,
    order_sync,
    payment_fulfil,
    payment_start,
    payment_sync,
    reservation_holding,
    reservation_over,
    reservation_start,
)
from .refunds import refund_create, refund_surplus, refunds_sync, returned_fee

__all__ = [
    "EXPIRED",
    "OrderRefused",
    "log_action",
    "order_expire",
    "order_place",
    "order_sync",
    "payment_fulfil",
    "payment_start",
    "payment_sync",
    "redemption_book",
    "redemption_reverse",
    "refund_create",
    "refund_surplus",
    "refunds_sync",
    "reservation_holding",
    "reservation_over",
    "reservation_start",
    "returned_fee",
]
