"""Totals shown to residents, all derived from the ledger."""

from django.db.models import Q

from .models import LedgerEntry, Order, Voucher
from .services import raised, supporters


def for_merchant(page) -> dict:
    entries = LedgerEntry.objects.filter(merchant=page)
    return {"raised": raised(entries), "supporters": supporters(entries)}


def for_campaign(campaign) -> dict:
    entries = LedgerEntry.objects.filter(campaign=campaign)
    total = raised(entries)
    return {
        "raised": total,
        "supporters": supporters(entries),
        # The bar stops at 100 %; the figure beside it tells by how much the goal was beaten.
        "percent": min(100, total * 100 // campaign.goal) if campaign.goal else 0,
    }


def for_site(site) -> int:
    return raised(LedgerEntry.objects.filter(site=site))


def supporter_wall(page, limit: int = 20):
    return (
        Order.objects.filter(merchant=page, wall=Order.Wall.SHOWN)
        .filter(Q(status=Order.Status.PAID) | Q(status=Order.Status.PARTIALLY_REFUNDED))
        .order_by("-paid_at")[:limit]
    )


def vouchers_sold(page) -> int:
    return Voucher.objects.filter(merchant=page).count()
