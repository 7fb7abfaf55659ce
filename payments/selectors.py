"""Reads: every total the portal shows is defined here once, as a sum over the ledger."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum

from .models import LedgerEntry, Order, Payment
from .registry import get_kind

RAISED = [LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND]
# A supporter: an order's kept payment (not a surplus one, refunded anyway), not refunded in full.
SUPPORTER = (
    Q(kind=LedgerEntry.Kind.PAYMENT)
    & ~Q(payment__surplus=True)
    & ~Q(order__status=Order.Status.REFUNDED)
)
# The same definitions as aggregates, for figures per group (the editors' report).
FIGURES = {
    "raised": Sum("amount", filter=Q(kind__in=RAISED), default=0),
    "supporters": Count("pk", filter=SUPPORTER),
    "refunded": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.REFUND), default=0),
    "redeemed": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.REDEMPTION), default=0),
    "paid_out": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.PAYOUT), default=0),
}


def raised(entries: QuerySet) -> int:
    """Money that reached merchants: payments less refunds, over any slice of the ledger."""
    return entries.aggregate(total=FIGURES["raised"])["total"]


def supporters(entries: QuerySet) -> int:
    """People behind the money: orders with a payment that was not refunded in full."""
    return entries.filter(SUPPORTER).count()


def figures(entries: QuerySet) -> dict:
    """Every figure of FIGURES over a slice of the ledger."""
    return entries.aggregate(**FIGURES)


def merchant_entries(merchant) -> QuerySet:
    return LedgerEntry.objects.filter(merchant=merchant)


def merchant_support(merchant) -> dict:
    """Raised and supporters of one merchant: their page, their dashboard."""
    entries = merchant_entries(merchant)
    return {"raised": raised(entries), "supporters": supporters(entries)}


def site_raised(site) -> int:
    """What the merchants of one city raised: the home page's headline."""
    return raised(LedgerEntry.objects.filter(site=site))


def sum_of(entries: QuerySet, kind: str) -> int:
    return entries.filter(kind=kind).aggregate(total=Sum("amount"))["total"] or 0


def merchant_totals(merchant) -> dict:
    """The merchant's income page: raised per product kind and every kind of movement."""
    entries = merchant_entries(merchant)
    per_kind = (
        entries.filter(kind__in=RAISED)
        .values("order__kind")
        .annotate(total=Sum("amount"))
        .order_by("order__kind")
    )
    return {
        "raised": raised(entries),
        "supporters": supporters(entries),
        "per_kind": {row["order__kind"]: row["total"] for row in per_kind},
        "payments": sum_of(entries, LedgerEntry.Kind.PAYMENT),
        "refunds": -sum_of(entries, LedgerEntry.Kind.REFUND),
        "fees": -sum_of(entries, LedgerEntry.Kind.FEE),
        "redeemed": -sum_of(entries, LedgerEntry.Kind.REDEMPTION),
        "payouts": -sum_of(entries, LedgerEntry.Kind.PAYOUT),
    }


def merchant_sales(merchant) -> QuerySet:
    """The merchant's paid orders (refunded ones too), newest first: their income page."""
    statuses = [*Order.PAID_STATUSES, Order.Status.REFUNDED]
    return (
        Order.objects.filter(merchant=merchant, status__in=statuses)
        .exclude(paid_at=None)
        .order_by("-paid_at", "-pk")
    )


def merchant_movements(merchant) -> QuerySet:
    """Every other movement of the merchant's money (refunds, fees, payouts, redemptions)."""
    return (
        merchant_entries(merchant)
        .exclude(kind=LedgerEntry.Kind.PAYMENT)  # payments are the sales
        .select_related("order")
        .order_by("-created_at", "-pk")
    )


def merchant_ledger(merchant) -> QuerySet:
    """Every ledger entry of one merchant, oldest first: their download of their figures (its
    amounts add up to the totals above, entry by entry)."""
    return (
        merchant_entries(merchant)
        .select_related("order", "payment", "reverses")
        .order_by("created_at", "pk")
    )


def redeemed(order: Order) -> int:
    """Cents of what the order bought that were spent at the counter."""
    return -sum_of(order.ledger_entries.all(), LedgerEntry.Kind.REDEMPTION)


def refunded_amount(order: Order) -> int:
    """Cents refunded of the payment the order kept (surplus payments are refunded apart)."""
    entries = order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND)
    return -(entries.exclude(payment__surplus=True).aggregate(total=Sum("amount"))["total"] or 0)


def payment_refunded(payment: Payment) -> int:
    return -sum_of(payment.ledger_entries.all(), LedgerEntry.Kind.REFUND)


def kept_payment(order: Order) -> Payment | None:
    """The payment that paid for the order; others that succeeded are surplus."""
    return order.payments.filter(state=Payment.State.SUCCEEDED, surplus=False).first()


def order_refundable(order: Order, *, lock: bool = False) -> tuple[int, str]:
    """Cents of a paid order that may still be refunded, and why not more: what is left of its
    payment, as far as its product kind allows (of a voucher only its unredeemed share)."""
    left = order.amount - refunded_amount(order)
    return get_kind(order.kind).refundable(order, left, lock=lock)


def open_attempts(order: Order) -> bool:
    return order.payments.filter(state__in=Payment.OPEN).exists()


def money_returned(order: Order) -> bool:
    """A payment the order could not keep was (or is being) given back."""
    return order.payments.filter(surplus=True).exists()


def report_entries(
    date_from: date | None = None, date_to: date | None = None, *, sites=None
) -> QuerySet:
    """The ledger entries a report sums: of these sites (a queryset; None: every city)."""
    entries = (
        LedgerEntry.objects.all() if sites is None else LedgerEntry.objects.filter(site__in=sites)
    )
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries


def grouped_figures(
    entries: QuerySet, key_field: str, name_field: str, detail_field: str | None = None
) -> list[dict]:
    """FIGURES per group of ledger entries (per city, merchant, campaign…), ordered by name."""
    fields = [key_field, name_field] + ([detail_field] if detail_field else [])
    rows = (
        entries.exclude(**{f"{key_field}__isnull": True})
        .values(*fields)
        .annotate(**FIGURES)
        .order_by(name_field, key_field)
    )
    return [
        {
            "name": row[name_field],
            "detail": row[detail_field] if detail_field else "",
            **{figure: row[figure] for figure in FIGURES},
        }
        for row in rows
    ]
