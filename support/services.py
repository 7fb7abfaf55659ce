"""Everything that moves an order along or books money: the only code that writes orders,
payments, vouchers and ledger entries. Views, webhooks and the admin call these functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import codes
from .models import (
    Campaign,
    CampaignReward,
    DonationOffer,
    LedgerEntry,
    Order,
    Payment,
    Voucher,
    VoucherOffer,
)
from .money import currency, format_money
from .providers import get_provider
from .providers.base import PaymentState

logger = logging.getLogger(__name__)


class OrderRefused(Exception):
    """The order cannot be placed as asked; the message is for the buyer."""


@dataclass
class Buyer:
    name: str
    email: str
    recipient_name: str = ""
    gift_message: str = ""
    supporter_name: str = ""
    supporter_message: str = ""
    on_wall: bool = False


# --- placing orders: the server recomputes every price --------------------------------------


def _new_order(merchant, kind, amount, item, buyer: Buyer, site, **fields) -> Order:
    if not 0 < amount <= settings.SUPPORT_MAX_AMOUNT:
        raise OrderRefused(
            _("Amounts from 1 € up to %(max)s are possible.")
            % {"max": format_money(settings.SUPPORT_MAX_AMOUNT)}
        )
    return Order.objects.create(
        site=site,
        merchant=merchant,
        kind=kind,
        amount=amount,
        item=item,
        currency=currency(),
        buyer_name=buyer.name,
        buyer_email=buyer.email,
        language=translation.get_language() or "",
        recipient_name=buyer.recipient_name,
        gift_message=buyer.gift_message,
        **fields,
    )


def reserved_vouchers(offer: VoucherOffer) -> int:
    """Vouchers of a limited offer that are sold or held by a recent pending order."""
    held_since = timezone.now() - timedelta(minutes=settings.SUPPORT_RESERVATION_MINUTES)
    return offer.orders.filter(
        Q(status__in=[Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED])
        | Q(status__in=[Order.Status.PENDING, Order.Status.FAILED], created_at__gte=held_since)
    ).count()


def vouchers_left(offer: VoucherOffer) -> int | None:
    return None if offer.stock is None else max(0, offer.stock - reserved_vouchers(offer))


@transaction.atomic
def order_voucher(merchant, amount: int, buyer: Buyer, site) -> Order:
    # The offer's row lock serialises buyers of one offer: a limited stock is never oversold.
    offer = VoucherOffer.objects.select_for_update().filter(page=merchant).first()
    if offer is None or not merchant.live:
        raise OrderRefused(_("This merchant does not sell vouchers at the moment."))
    if not offer.accepts(amount):
        raise OrderRefused(_("This voucher value is not available."))
    if offer.stock is not None and reserved_vouchers(offer) >= offer.stock:
        raise OrderRefused(_("Sorry, all vouchers are sold."))
    value = offer.value_for(amount)
    return _new_order(
        merchant,
        Order.Kind.VOUCHER,
        amount,
        _("Voucher worth %(value)s") % {"value": format_money(value)},
        buyer,
        site,
        voucher_offer=offer,
        voucher_value=value,
    )


@transaction.atomic
def order_donation(merchant, amount: int, buyer: Buyer, site, preset=None) -> Order:
    offer = DonationOffer.objects.filter(page=merchant).first()
    if offer is None or not merchant.live:
        raise OrderRefused(_("This merchant does not take donations at the moment."))
    if preset is not None:
        amount, item = preset.amount, preset.name
    elif offer.free_amount:
        item = _("Donation")
    else:
        raise OrderRefused(_("Please choose one of the amounts."))
    wall = Order.Wall.PENDING if offer.supporter_wall and buyer.on_wall else ""
    return _new_order(
        merchant,
        Order.Kind.DONATION,
        amount,
        item,
        buyer,
        site,
        supporter_name=buyer.supporter_name if wall else "",
        supporter_message=buyer.supporter_message if wall else "",
        wall=wall,
    )


@transaction.atomic
def order_campaign(
    merchant, amount: int, buyer: Buyer, site, reward: CampaignReward | None = None
) -> Order:
    campaign = Campaign.objects.filter(page=merchant).first()
    if campaign is None or not merchant.live:
        raise OrderRefused(_("This merchant runs no campaign at the moment."))
    if not campaign.is_open(timezone.localdate()):
        raise OrderRefused(_("This campaign has ended."))
    if reward is not None and amount < reward.min_amount:
        raise OrderRefused(
            _("This reward needs at least %(amount)s.")
            % {"amount": format_money(reward.min_amount)}
        )
    return _new_order(
        merchant,
        Order.Kind.CAMPAIGN,
        amount,
        campaign.title,
        buyer,
        site,
        campaign=campaign,
        reward=reward,
        supporter_name=buyer.supporter_name if buyer.on_wall else "",
        supporter_message=buyer.supporter_message if buyer.on_wall else "",
        wall=Order.Wall.PENDING if buyer.on_wall else "",
    )


# --- paying --------------------------------------------------------------------------------


def start_payment(order: Order, request):
    """A new payment attempt for a pending (or failed) order; returns the provider's NextStep.
    PaymentError / ProviderUnavailable leave the order pending for a retry."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == Order.Status.FAILED:
            order.transition(Order.Status.PENDING)
            order.save(update_fields=["status"])
        if order.status != Order.Status.PENDING:
            raise OrderRefused(_("This order cannot be paid (any more)."))
        provider = get_provider()
        payment = Payment.objects.create(
            order=order, provider=provider.name, amount=order.amount, currency=order.currency
        )
    step = provider.start(payment, request)
    payment.state = Payment.State.PENDING
    payment.save(update_fields=["reference", "state", "destination", "platform_fee", "updated_at"])
    return step


def sync_payment(payment: Payment) -> Order:
    """Ask the provider how a payment stands and act on it: the one path from 'the provider
    says' to 'the order is paid', used by return URLs and webhooks alike."""
    state = get_provider(payment.provider).fetch_state(payment)
    if state == PaymentState.SUCCEEDED:
        fulfil(payment)
    elif state in (PaymentState.FAILED, PaymentState.CANCELED):
        _payment_failed(payment, state)
    return Order.objects.get(pk=payment.order_id)


@transaction.atomic
def _payment_failed(payment: Payment, state: str) -> None:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state == Payment.State.SUCCEEDED:
        return
    payment.state = state
    payment.save(update_fields=["state", "updated_at"])
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    if order.status == Order.Status.PENDING:
        order.transition(Order.Status.FAILED)
        order.save(update_fields=["status"])


def fulfil(payment: Payment) -> bool:
    """Book a succeeded payment and issue what was bought, exactly once however often (or
    however concurrently) it is called. Returns True for the call that did it."""
    issued_code = None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != Payment.State.SUCCEEDED:
            payment.state = Payment.State.SUCCEEDED
            payment.save(update_fields=["state", "updated_at"])
        if order.fulfilled_at is not None:
            if order.payments.filter(state=Payment.State.SUCCEEDED).exclude(pk=payment.pk):
                logger.error("Order %s was paid twice (payment %s)", order.reference, payment)
            return False
        if order.status == Order.Status.CANCELLED:
            logger.error("Payment %s succeeded for cancelled order %s", payment, order.reference)
        else:
            order.transition(Order.Status.PAID)
        order.paid_at = order.fulfilled_at = timezone.now()
        order.save(update_fields=["status", "paid_at", "fulfilled_at"])
        reference = payment.reference or ""
        book(order, LedgerEntry.Kind.PAYMENT, order.amount, reference=reference)
        if payment.platform_fee > 0:
            book(order, LedgerEntry.Kind.FEE, -payment.platform_fee, reference=reference)
        if payment.destination:
            # The provider sent the money straight to the merchant's account: nothing of it
            # stays with the platform, so it is paid out the moment it is paid.
            payout = order.amount - payment.platform_fee
            book(order, LedgerEntry.Kind.PAYOUT, -payout, reference=reference)
        if order.kind == Order.Kind.VOUCHER:
            issued_code = issue_voucher(order)
    transaction.on_commit(lambda: send_confirmation(order, issued_code))
    return True


def book(order: Order, kind: str, amount: int, **fields) -> LedgerEntry:
    return LedgerEntry.objects.create(
        kind=kind,
        amount=amount,
        currency=order.currency,
        site_id=order.site_id,
        merchant_id=order.merchant_id,
        order=order,
        campaign_id=order.campaign_id,
        **fields,
    )


def issue_voucher(order: Order) -> str:
    """Create the order's voucher; returns its code, which exists from here on only in the
    buyer's mail and PDF."""
    offer = order.voucher_offer
    issued = timezone.localdate()
    valid_until = offer.valid_until(issued) if offer else issued.replace(year=issued.year + 3)
    while True:
        code = codes.new_code()
        try:
            with transaction.atomic():  # a collision of 100-bit codes: astronomically unlikely
                Voucher.objects.create(
                    order=order,
                    merchant_id=order.merchant_id,
                    value=order.voucher_value,
                    currency=order.currency,
                    code_digest=codes.digest(code),
                    code_hint=code[-4:],
                    valid_until=valid_until,
                )
            return code
        except IntegrityError:
            if Voucher.objects.filter(order=order).exists():
                raise


def send_confirmation(order: Order, code: str | None) -> None:
    from .mails import send_order_confirmation  # the mail and PDF live there

    try:
        send_order_confirmation(order, code)
    except Exception:
        # The money is booked and the voucher exists: a mail failure must not undo that.
        logger.exception("Could not send the confirmation for order %s", order.reference)


# --- refunds, redemptions, totals ----------------------------------------------------------


def refunded_amount(order: Order) -> int:
    total = order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).aggregate(t=Sum("amount"))
    return -(total["t"] or 0)


def refund(order: Order, amount: int, user=None) -> LedgerEntry:
    """Refund part or all of a paid order through its provider and book it."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if not order.is_paid:
            raise OrderRefused(_("Only paid orders can be refunded."))
        left = order.amount - refunded_amount(order)
        if not 0 < amount <= left:
            raise OrderRefused(
                _("At most %(amount)s can be refunded.") % {"amount": format_money(left)}
            )
        payment = order.payments.get(state=Payment.State.SUCCEEDED)
        refund_id = get_provider(payment.provider).refund(payment, amount)
        return _book_refund(order, payment, amount, refund_id, user)


def sync_refunds(payment: Payment) -> int:
    """Book the refunds the provider knows of and the ledger lacks: those made in its own
    dashboard. Returns how many were booked; refunds made here are found booked already."""
    if payment.state != Payment.State.SUCCEEDED:
        return 0
    known = get_provider(payment.provider).refunds(payment)
    booked = 0
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        done = set(
            order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).values_list(
                "reference", flat=True
            )
        )
        for refund_id, amount in known:
            if refund_id in done:
                continue
            if not order.is_paid or amount > order.amount - refunded_amount(order):
                logger.error("Refund %s does not fit order %s", refund_id, order.reference)
                continue
            try:
                with transaction.atomic():
                    _book_refund(order, payment, amount, refund_id)
            except IntegrityError:  # booked meanwhile by the admin's own refund
                order.refresh_from_db()
                continue
            booked += 1
    return booked


def _book_refund(order: Order, payment: Payment, amount: int, refund_id: str, user=None):
    """Book a refund of the order's payment; the caller holds the order's row lock."""
    refunded_before = refunded_amount(order)
    entry = book(order, LedgerEntry.Kind.REFUND, -amount, reference=refund_id, user=user)
    if payment.destination:
        _book_reversal(order, payment, refunded_before, amount, refund_id, user)
    fully = refunded_before + amount == order.amount
    order.transition(Order.Status.REFUNDED if fully else Order.Status.PARTIALLY_REFUNDED)
    order.save(update_fields=["status"])
    return entry


def returned_fee(payment: Payment, refunded: int) -> int:
    """The platform's fee given back once `refunded` cents of the payment are refunded: in
    proportion, rounded half up, so that a full refund returns the whole fee."""
    return (2 * refunded * payment.platform_fee + payment.amount) // (2 * payment.amount)


def _book_reversal(
    order: Order, payment: Payment, refunded_before: int, amount: int, refund_id: str, user
) -> None:
    """A refund of a payment that went to the merchant's account: Stripe takes the merchant's
    share back from that account and returns the platform's share of the fee
    (StripeProvider.refund asks for both), so payout and fee are booked back in proportion and
    the order's ledger still sums to what the platform holds for the merchant."""
    fee_back = returned_fee(payment, refunded_before + amount) - returned_fee(
        payment, refunded_before
    )
    if fee_back:
        book(order, LedgerEntry.Kind.FEE, fee_back, reference=refund_id, user=user)
    book(order, LedgerEntry.Kind.PAYOUT, amount - fee_back, reference=refund_id, user=user)


class RedemptionRefused(Exception):
    pass


def reissue_voucher(voucher: Voucher, email: str) -> str:
    """A new code for a voucher whose mail never arrived (or was lost), sent to `email` (the
    buyer's address, or a corrected one). Only the digest of a code is stored, so the old code
    cannot be sent again: it stops working, the balance stays. Returns the new code."""
    from .mails import send_order_confirmation

    with transaction.atomic():
        voucher = Voucher.objects.select_for_update().select_related("order").get(pk=voucher.pk)
        code = codes.new_code()
        voucher.code_digest, voucher.code_hint = codes.digest(code), code[-4:]
        voucher.code_reissued_at = timezone.now()
        voucher.save(update_fields=["code_digest", "code_hint", "code_reissued_at"])
        order = voucher.order
        if order.buyer_email != email:
            order.buyer_email = email
            order.save(update_fields=["buyer_email"])
    # Outside the transaction: if the mail fails the editor sees it and simply sends again.
    send_order_confirmation(order, code)
    return code


def find_voucher(code: str) -> Voucher | None:
    if not codes.is_well_formed(code):
        return None
    return Voucher.objects.filter(code_digest=codes.digest(code)).select_related("order").first()


@transaction.atomic
def redeem(voucher: Voucher, merchant, amount: int, user=None) -> LedgerEntry:
    """Spend `amount` cents of a voucher at its merchant's counter. The voucher's row lock makes
    two tills wait for each other, so the balance can never go below zero."""
    voucher = Voucher.objects.select_for_update().select_related("order").get(pk=voucher.pk)
    if voucher.merchant_id != merchant.pk:
        raise RedemptionRefused(_("This voucher belongs to another merchant."))
    if voucher.order.status == Order.Status.REFUNDED:
        raise RedemptionRefused(_("This voucher was refunded and is no longer valid."))
    if voucher.valid_until < timezone.localdate():
        raise RedemptionRefused(
            _("This voucher expired on %(date)s.") % {"date": voucher.valid_until}
        )
    balance = voucher.balance()
    if amount <= 0:
        raise RedemptionRefused(_("Please enter an amount above 0 €."))
    if amount > balance:
        raise RedemptionRefused(
            _("Only %(balance)s are left on this voucher.") % {"balance": format_money(balance)}
        )
    return LedgerEntry.objects.create(
        kind=LedgerEntry.Kind.REDEMPTION,
        amount=-amount,
        currency=voucher.currency,
        site_id=voucher.order.site_id,
        merchant_id=voucher.merchant_id,
        order=voucher.order,
        voucher=voucher,
        user=user,
    )


RAISED = [LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND]


def raised(entries) -> int:
    """Money that reached merchants: payments less refunds, over any slice of the ledger."""
    return entries.filter(kind__in=RAISED).aggregate(total=Sum("amount"))["total"] or 0


def supporters(entries) -> int:
    """People behind the money: orders with a payment that was not refunded in full."""
    return (
        entries.filter(kind=LedgerEntry.Kind.PAYMENT)
        .exclude(order__status=Order.Status.REFUNDED)
        .count()
    )
