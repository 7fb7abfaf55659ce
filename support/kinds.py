"""Support's product kinds, registered with the money core (SupportConfig.ready): what happens
when a voucher, donation or campaign order is paid, whether it is still in stock, and how much
of it may be refunded."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import Order
from payments.money import format_money
from payments.registry import ProductKind, ReportGroup, register_kind, register_report_group

from . import selectors, services
from .models import Voucher, VoucherOffer

logger = logging.getLogger(__name__)


def confirm_after_commit(order: Order, code: str | None = None) -> None:
    """The mail (and the voucher's PDF) is built by a task once the order is committed paid;
    the mail server's state can neither delay nor undo the fulfilment."""

    def enqueue():
        from .tasks import send_order_confirmation

        try:
            send_order_confirmation.enqueue(order.pk, code)
        except Exception:
            # The money is booked and the voucher exists: the editor can send it again.
            logger.exception("Could not queue the confirmation for order %s", order.reference)

    transaction.on_commit(enqueue)


def fulfil_voucher(order: Order) -> None:
    confirm_after_commit(order, services.voucher_issue(order=order))


def voucher_in_stock(order: Order) -> bool:
    """A limited offer may have sold out while this order's reservation ran out. The offer's
    row lock serialises this with other buyers, as in services.order_voucher."""
    offer_id = order.support.voucher_offer_id
    if offer_id is None:
        return True
    offer = VoucherOffer.objects.select_for_update().get(pk=offer_id)
    return offer.stock is None or selectors.reserved_vouchers(offer, besides=order) < offer.stock


def voucher_refundable(order: Order, left: int, *, lock: bool = False) -> tuple[int, str]:
    """Only the part of the payment the unredeemed value stands for: a redeemed voucher was
    spent, the merchant gave goods for it. Before a refund the voucher's row is locked (after
    the order's, see payments.services.refunds), so a till cannot spend what is refunded."""
    vouchers = Voucher.objects.filter(order=order)
    voucher = (vouchers.select_for_update() if lock else vouchers).first()
    if voucher is None:
        return left, ""
    redeemed = voucher.redeemed()
    refunded = order.amount - left
    share = min(left, (voucher.value - redeemed) * order.amount // voucher.value - refunded)
    if not redeemed:
        return share, ""
    reason = _("At most %(amount)s can be refunded: %(redeemed)s of the voucher were redeemed.") % {
        "amount": format_money(share),
        "redeemed": format_money(redeemed),
    }
    return share, reason


def voucher_thanks(order: Order) -> str:
    return _(
        "Your voucher is on its way to %(email)s. It is a PDF you can print or show on your phone."
    ) % {"email": order.support.voucher_email}


def support_thanks(order: Order) -> str:
    return _("Your support has reached %(name)s. A confirmation is on its way to your mailbox.") % {
        "name": order.merchant.title
    }


def register() -> None:
    register_kind(
        ProductKind(
            name=services.VOUCHER,
            label=gettext_lazy("Voucher"),
            fulfil=fulfil_voucher,
            in_stock=voucher_in_stock,
            refundable=voucher_refundable,
            thanks=voucher_thanks,
        )
    )
    for name, label in (
        (services.DONATION, gettext_lazy("Donation")),
        (services.CAMPAIGN, gettext_lazy("Campaign support")),
    ):
        register_kind(
            ProductKind(name=name, label=label, fulfil=confirm_after_commit, thanks=support_thanks)
        )
    register_report_group(
        ReportGroup(
            key="campaign",
            title=gettext_lazy("Per campaign"),
            key_field="order__support__campaign",
            name_field="order__support__campaign__title",
            detail_field="merchant__title",
        )
    )
