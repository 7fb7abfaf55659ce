"""Reads of what residents bought for merchants; money figures come from payments.selectors."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Sum
from wagtail.permission_policies.pages import PagePermissionPolicy

from directory.models import MerchantAccount
from payments import selectors as money
from payments.models import LedgerEntry, Order
from payments.services import reservation_holding

from . import codes
from .models import SupportOrder, Voucher, VoucherOffer


def reserved_vouchers(offer: VoucherOffer, besides: Order | None = None) -> int:
    """Vouchers of a limited offer that are sold, or held by an unpaid order (other than
    `besides`) as payments.services.reservation_holding says. One order is one voucher."""
    orders = SupportOrder.objects.filter(voucher_offer=offer)
    if besides is not None:
        orders = orders.exclude(order=besides)
    return orders.filter(
        Q(order__status__in=Order.PAID_STATUSES) | reservation_holding("order")
    ).count()


def held_by_client(offer: VoucherOffer, *, email: str, orders: list[int]) -> int:
    """Unpaid orders of a limited offer that still hold a voucher and were placed with this
    e-mail address or are among `orders` (the ones placed from the client's address)."""
    return (
        SupportOrder.objects.filter(voucher_offer=offer)
        .filter(reservation_holding("order"))
        .filter(Q(order__buyer_email__iexact=email) | Q(order_id__in=orders))
        .count()
    )


def vouchers_left(offer: VoucherOffer) -> int | None:
    return None if offer.stock is None else max(0, offer.stock - reserved_vouchers(offer))


def campaign_totals(campaign) -> dict:
    entries = LedgerEntry.objects.filter(order__support__campaign=campaign)
    total = money.raised(entries)
    return {
        "raised": total,
        "supporters": money.supporters(entries),
        # The bar stops at 100 %; the figure beside it tells by how much the goal was beaten.
        "percent": min(100, total * 100 // campaign.goal) if campaign.goal else 0,
    }


def supporter_wall(page, limit: int = 20):
    """Supporters the merchant showed on their wall, newest first."""
    return (
        SupportOrder.objects.filter(
            order__merchant=page,
            order__status__in=Order.PAID_STATUSES,
            wall=SupportOrder.Wall.SHOWN,
        )
        .select_related("order")
        .order_by("-order__paid_at")[:limit]
    )


def wall_entries(page):
    """Every paid order of the merchant with a name or message for the wall, to moderate."""
    return (
        SupportOrder.objects.filter(order__merchant=page, order__status__in=Order.PAID_STATUSES)
        .exclude(wall="")
        .select_related("order")
    )


def wall_pending(page) -> int:
    return wall_entries(page).filter(wall=SupportOrder.Wall.PENDING).count()


def open_vouchers(page) -> int:
    """What the merchant still owes in goods: issued value less what was redeemed and what
    partial refunds took back (fully refunded vouchers are left out)."""
    vouchers = Voucher.objects.filter(merchant=page).exclude(order__status=Order.Status.REFUNDED)
    issued = vouchers.aggregate(total=Sum("value"))["total"] or 0
    spent = money.sum_of(
        LedgerEntry.objects.filter(order__voucher__in=vouchers), LedgerEntry.Kind.REDEMPTION
    )
    taken_back = sum(
        voucher.refunded_value()
        for voucher in vouchers.filter(order__status=Order.Status.PARTIALLY_REFUNDED)
    )
    return issued + spent - taken_back


def income_totals(page) -> dict:
    """The income page's figures: the money core's, and the vouchers still open."""
    totals = money.merchant_totals(page)
    per_kind = totals["per_kind"]
    return {
        **totals,
        "vouchers": per_kind.get("voucher", 0),
        "donations": per_kind.get("donation", 0),
        "campaigns": per_kind.get("campaign", 0),
        "open_vouchers": open_vouchers(page),
    }


def voucher_by_code(code: str) -> Voucher | None:
    if not codes.is_well_formed(code):
        return None
    return Voucher.objects.filter(code_digest=codes.digest(code)).select_related("order").first()


def wall_moderation_entries(user):
    """Supporter-wall entries an editor moderates: of the merchants in the part of the page tree
    the user may change (their city's), each marked whether a merchant account owns the page
    (then its merchant approves; editors may only hide)."""
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return (
        SupportOrder.objects.filter(
            order__merchant__in=pages.values("pk"), order__status__in=Order.PAID_STATUSES
        )
        .exclude(wall="")
        .annotate(
            has_owner=Exists(MerchantAccount.objects.filter(page_id=OuterRef("order__merchant")))
        )
        .select_related("order__merchant")
    )
