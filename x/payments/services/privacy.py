"""A buyer's personal details leave their orders; the bookkeeping stays. Amounts, dates, the
order's reference and item, its payments, refunds and ledger entries are records that
bookkeeping law requires to be kept (§147 AO: ten years); who paid is not needed for them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from ..models import Order, OrderLogEntry
from .log import log_action

# What the action log may hold about a person, besides the user who acted (an editor).
PERSONAL_LOG_KEYS = ("email", "name", "buyer_email", "buyer_name")


@transaction.atomic
def orders_anonymise(*, orders: QuerySet[Order], reason: str) -> list[int]:
    """Blank the buyer's name and e-mail on `orders` and what their action log holds of them;
    logged on each order ("order.anonymised", with `reason`: "request" or "retention").
    Returns the ids of the orders anonymised."""
    ids = list(
        Order.objects.select_for_update()
        .filter(pk__in=orders.values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Order.objects.filter(pk__in=ids).update(buyer_name="", buyer_email="")
    for entry in OrderLogEntry.objects.filter(order_id__in=ids):
        if any(key in entry.data for key in PERSONAL_LOG_KEYS):
            entry.data = {k: v for k, v in entry.data.items() if k not in PERSONAL_LOG_KEYS}
            entry.save(update_fields=["data"])
    for order in Order.objects.filter(pk__in=ids):
        log_action(order, "order.anonymised", reason=reason)
    return ids
