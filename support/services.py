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
from django.utils.translation import gettext_lazy

from . import codes
from .models import (
    Campaign,
    CampaignReward,
    LedgerEntry,
    Order,
    Payment,
    Voucher,
    VoucherOffer,
    donation_offer,
    kept_refunds,
)
from .money import currency, format_money
from .providers import get_provider
from .providers.base import NextStep, PaymentError, PaymentState

logger = logging.getLogger(__name__)


class OrderRefused(Exception):
    """The order cannot be placed as asked; the message is for the buyer."""


@dataclass
class Buyer:
    name: str
    email: str
    recipient_name: str = ""
    recipient_email: str = ""
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
        recipient_email=buyer.recipient_email,
        gift_message=buyer.gift_message,
        **fields,
    )


def reserved_vouchers(offer: VoucherOffer, besides: Order | None = None) -> int:
    """Vouchers of a limited offer that are sold or held by a recent pending order (other than
    `besides`)."""
    held_since = timezone.now() - timedelta(minutes=settings.SUPPORT_RESERVATION_MINUTES)
    orders = offer.orders.exclude(pk=besides.pk) if besides else offer.orders.all()
    return orders.filter(
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
    offer = donation_offer(merchant)
    if offer is None or not merchant.live:
        raise OrderRefused(_("This merchant does not take donations at the moment."))
    if preset is not None and preset.page_id != merchant.pk:
        raise OrderRefused(_("Please choose one of the amounts."))
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

OPEN_ATTEMPT = [Payment.State.CREATED, Payment.State.PENDING]
EXPIRED = gettext_lazy(
    "This order has expired and can no longer be paid. Please place a new order."
)


def reservation_over(order: Order) -> bool:
    """A pending order holds its place (a voucher of a limited offer) for
    SUPPORT_RESERVATION_MINUTES; after that it can no longer be paid, only placed again."""
    held_since = timezone.now() - timedelta(minutes=settings.SUPPORT_RESERVATION_MINUTES)
    return order.created_at < held_since


def start_payment(order: Order, request) -> NextStep:
    """A new payment attempt for a pending (or failed) order; returns the provider's NextStep.

    Attempts of one order start one at a time, under the order's row lock, and only once the
    earlier ones can no longer take money: each is asked again at its provider and cancelled
    there. One that succeeded or is processing means no new attempt. An order whose reservation
    is over is cancelled instead. PaymentError / ProviderUnavailable leave the order pending
    for a retry."""
    error = step = None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == Order.Status.CANCELLED:
            raise OrderRefused(EXPIRED)
        if order.status not in (Order.Status.PENDING, Order.Status.FAILED):
            raise OrderRefused(_("This order cannot be paid (any more)."))
        live = _close_attempts(order)
        if live is None and reservation_over(order):
            order.transition(Order.Status.CANCELLED)
            order.save(update_fields=["status"])
        elif live is None:
            if order.status == Order.Status.FAILED:
                order.transition(Order.Status.PENDING)
                order.save(update_fields=["status"])
            provider = get_provider()
            payment = Payment.objects.create(
                order=order, provider=provider.name, amount=order.amount, currency=order.currency
            )
            try:
                step = provider.start(payment, request)
            except PaymentError as failed:
                error = failed
                payment.state = Payment.State.FAILED
            else:
                payment.state = Payment.State.PENDING
            payment.save(
                update_fields=["reference", "state", "destination", "platform_fee", "updated_at"]
            )
    if live is not None:
        if sync_payment(live).is_paid:
            raise OrderRefused(_("This order is paid already."))
        raise OrderRefused(
            _(
                "Your payment is still being processed. You get an e-mail as soon as it is "
                "confirmed."
            )
        )
    if order.status == Order.Status.CANCELLED:
        raise OrderRefused(EXPIRED)
    if error is not None:
        raise error
    return step


def _close_attempts(order: Order) -> Payment | None:
    """Make sure that no earlier attempt of the order can still take money: ask its provider
    and cancel it there. Returns an attempt that took the money or is taking it (succeeded or
    processing), for the caller to sync once the order's lock is released. An attempt at a
    provider that cannot cancel stays open: should it succeed after all, it is refunded."""
    for payment in order.payments.filter(state__in=OPEN_ATTEMPT).order_by("pk"):
        if not payment.reference:
            state = PaymentState.CANCELED  # the provider never answered: nothing to pay
        else:
            provider = get_provider(payment.provider)
            state = provider.fetch_state(payment)
            if state == PaymentState.PENDING and provider.supports_cancel:
                state = provider.cancel(payment)
        if state in (PaymentState.SUCCEEDED, PaymentState.PROCESSING):
            return payment
        if state in (PaymentState.FAILED, PaymentState.CANCELED):
            payment.state = state
            payment.save(update_fields=["state", "updated_at"])
    return None


def expire_order(order: Order) -> Order:
    """Cancel a pending or failed order whose reservation is over, and its attempts at the
    provider (expire_orders runs this). An attempt that took the money or is taking it keeps
    the order: it is synced instead."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in (Order.Status.PENDING, Order.Status.FAILED):
            return order
        if not reservation_over(order):
            return order
        live = _close_attempts(order)
        if live is None:
            order.transition(Order.Status.CANCELLED)
            order.save(update_fields=["status"])
            return order
    return sync_payment(live)


def sync_order(order: Order) -> Order:
    """Sync every attempt of the order that may still take money (the order page does this)."""
    for payment in order.payments.filter(state__in=OPEN_ATTEMPT).exclude(reference=None):
        order = sync_payment(payment)
    return Order.objects.get(pk=order.pk)


def sync_payment(payment: Payment) -> Order:
    """Ask the provider how a payment stands and act on it: the one path from 'the provider
    says' to 'the order is paid', used by return URLs and webhooks alike. Money the order does
    not keep is refunded here."""
    state = get_provider(payment.provider).fetch_state(payment)
    if state == PaymentState.SUCCEEDED:
        fulfil(payment)
        refund_surplus(payment)
    elif state in (PaymentState.FAILED, PaymentState.CANCELED):
        _payment_failed(payment, state)
    return Order.objects.get(pk=payment.order_id)


@transaction.atomic
def _payment_failed(payment: Payment, state: str) -> None:
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state == Payment.State.SUCCEEDED:
        return
    payment.state = state
    payment.save(update_fields=["state", "updated_at"])
    # Only the latest attempt says how the order stands: an earlier one cancelled for it does not.
    latest = not order.payments.filter(pk__gt=payment.pk).exists()
    if order.status == Order.Status.PENDING and latest:
        order.transition(Order.Status.FAILED)
        order.save(update_fields=["status"])


def _can_fulfil(order: Order) -> bool:
    """Whether a payment arriving now may fulfil the order: not once it is paid or cancelled,
    and not when its offer has sold out meanwhile (its reservation may be over). The offer's
    row lock serialises this with other buyers, as in order_voucher."""
    if order.fulfilled_at is not None or order.status == Order.Status.CANCELLED:
        return False
    if order.kind != Order.Kind.VOUCHER or order.voucher_offer_id is None:
        return True
    offer = VoucherOffer.objects.select_for_update().get(pk=order.voucher_offer_id)
    return offer.stock is None or reserved_vouchers(offer, besides=order) < offer.stock


def fulfil(payment: Payment) -> bool:
    """Book a succeeded payment and issue what was bought, exactly once however often (or
    however concurrently) it is called. Returns True for the call that did it. A payment the
    order cannot keep (it is paid already, cancelled, or sold out) is booked as surplus, and
    sync_payment refunds it."""
    issued_code = None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != Payment.State.SUCCEEDED:
            payment.state = Payment.State.SUCCEEDED
            payment.save(update_fields=["state", "updated_at"])
        if payment.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT).exists():
            return False
        if not _can_fulfil(order):
            logger.warning("Payment %s for order %s is refunded", payment, order.reference)
            payment.surplus = True
            payment.save(update_fields=["surplus", "updated_at"])
            if order.status in (Order.Status.PENDING, Order.Status.FAILED):  # sold out
                order.transition(Order.Status.CANCELLED)
                order.save(update_fields=["status"])
            _book_payment(order, payment)
            return False
        order.transition(Order.Status.PAID)
        order.paid_at = order.fulfilled_at = timezone.now()
        order.save(update_fields=["status", "paid_at", "fulfilled_at"])
        _book_payment(order, payment)
        if order.kind == Order.Kind.VOUCHER:
            issued_code = issue_voucher(order)
    transaction.on_commit(lambda: send_confirmation(order, issued_code))
    return True


def _book_payment(order: Order, payment: Payment) -> None:
    fields = {"reference": payment.reference or "", "payment": payment}
    book(order, LedgerEntry.Kind.PAYMENT, payment.amount, **fields)
    if payment.platform_fee > 0:
        book(order, LedgerEntry.Kind.FEE, -payment.platform_fee, **fields)
    if payment.destination:
        # The provider sent the money straight to the merchant's account: nothing of it
        # stays with the platform, so it is paid out the moment it is paid.
        book(order, LedgerEntry.Kind.PAYOUT, -(payment.amount - payment.platform_fee), **fields)


def refund_surplus(payment: Payment) -> None:
    """Give back in full a payment the order did not keep (fulfil booked it as surplus), and
    tell the buyer. Does nothing for other payments or once done; a provider that cannot be
    reached raises, and the webhook's retry or expire_orders tries again."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.surplus or payment.state != Payment.State.SUCCEEDED:
            return
        if not payment.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT).exists():
            _book_payment(order, payment)  # marked surplus before it was booked (migration)
        left = payment.amount - payment_refunded(payment)
        if left <= 0:
            return
        refund_id = get_provider(payment.provider).refund(payment, left)
        _book_refund(order, payment, left, refund_id)
    transaction.on_commit(lambda: send_surplus_refund(payment))


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


def send_surplus_refund(payment: Payment) -> None:
    from .mails import send_surplus_refund as send

    try:
        send(payment)
    except Exception:
        logger.exception("Could not tell the buyer of order %s of a refund", payment.order_id)


def send_confirmation(order: Order, code: str | None) -> None:
    from .mails import send_order_confirmation  # the mail and PDF live there

    try:
        send_order_confirmation(order, code)
    except Exception:
        # The money is booked and the voucher exists: a mail failure must not undo that.
        logger.exception("Could not send the confirmation for order %s", order.reference)


# --- refunds, redemptions, totals ----------------------------------------------------------


def refunded_amount(order: Order) -> int:
    """What was refunded of the payment the order kept (surplus payments are refunded apart)."""
    return kept_refunds(order)


def refundable(order: Order, voucher: Voucher | None = None) -> int:
    """Cents of a paid order that may still be refunded: what is left of its payment, and of a
    voucher order only the part of the payment its unredeemed value stands for (a redeemed
    voucher was spent; the merchant gave goods for it). Pass the voucher locked."""
    left = order.amount - refunded_amount(order)
    if voucher is None:
        return left
    unredeemed = voucher.value - voucher.redeemed()
    return min(left, unredeemed * order.amount // voucher.value - refunded_amount(order))


def payment_refunded(payment: Payment) -> int:
    total = payment.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).aggregate(t=Sum("amount"))
    return -(total["t"] or 0)


def kept_payment(order: Order) -> Payment | None:
    """The payment that paid for the order; others that succeeded are surplus."""
    return order.payments.filter(state=Payment.State.SUCCEEDED, surplus=False).first()


def refund(order: Order, amount: int, user=None) -> LedgerEntry:
    """Refund part or all of a paid order through its provider and book it."""
    with transaction.atomic():
        order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        if not order.is_paid:
            raise OrderRefused(_("Only paid orders can be refunded."))
        # The voucher's row lock, as in redeem(): a till cannot spend what is being refunded.
        # The order's lock is taken first, and without the key (no_key): a redemption holding
        # the voucher still books its ledger entry, whose reference to the order needs a key
        # share lock on it, and then lets the voucher go (FOR UPDATE would deadlock the two).
        voucher = Voucher.objects.select_for_update().filter(order=order).first()
        left = refundable(order, voucher)
        if not 0 < amount <= left:
            if voucher is not None and voucher.redeemed():
                raise OrderRefused(
                    _(
                        "At most %(amount)s can be refunded: %(redeemed)s of the voucher were "
                        "redeemed."
                    )
                    % {"amount": format_money(left), "redeemed": format_money(voucher.redeemed())}
                )
            raise OrderRefused(
                _("At most %(amount)s can be refunded.") % {"amount": format_money(left)}
            )
        payment = kept_payment(order)
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
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        done = set(
            order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).values_list(
                "reference", flat=True
            )
        )
        for refund_id, amount in known:
            if refund_id in done:
                continue
            fits = payment.surplus or order.is_paid
            if not fits or amount > payment.amount - payment_refunded(payment):
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
    """Book a refund of one of the order's payments; the caller holds the order's row lock.
    Refunds of the kept payment move the order to (partially) refunded; those of a surplus
    payment leave it as it is."""
    refunded_before = payment_refunded(payment)
    fields = {"reference": refund_id, "payment": payment, "user": user}
    entry = book(order, LedgerEntry.Kind.REFUND, -amount, **fields)
    if payment.destination:
        _book_reversal(order, payment, refunded_before, amount, fields)
    if not payment.surplus:
        fully = refunded_before + amount == order.amount
        order.transition(Order.Status.REFUNDED if fully else Order.Status.PARTIALLY_REFUNDED)
        order.save(update_fields=["status"])
    return entry


def returned_fee(payment: Payment, refunded: int) -> int:
    """The platform's fee given back once `refunded` cents of the payment are refunded: in
    proportion, rounded half up, so that a full refund returns the whole fee."""
    return (2 * refunded * payment.platform_fee + payment.amount) // (2 * payment.amount)


def _book_reversal(
    order: Order, payment: Payment, refunded_before: int, amount: int, fields: dict
) -> None:
    """A refund of a payment that went to the merchant's account: Stripe takes the merchant's
    share back from that account and returns the platform's share of the fee
    (StripeProvider.refund asks for both), so payout and fee are booked back in proportion and
    the order's ledger still sums to what the platform holds for the merchant."""
    fee_back = returned_fee(payment, refunded_before + amount) - returned_fee(
        payment, refunded_before
    )
    if fee_back:
        book(order, LedgerEntry.Kind.FEE, fee_back, **fields)
    book(order, LedgerEntry.Kind.PAYOUT, amount - fee_back, **fields)


class RedemptionRefused(Exception):
    pass


def reissue_voucher(voucher: Voucher, email: str) -> str:
    """A new code for a voucher whose mail never arrived (or was lost), sent to `email` (the
    buyer's address, or a corrected one). Only the digest of a code is stored, so the old code
    cannot be sent again: it stops working, the balance stays. Returns the new code."""
    from .mails import send_order_confirmation

    with transaction.atomic():
        voucher = (
            Voucher.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(pk=voucher.pk)
        )
        code = codes.new_code()
        voucher.code_digest, voucher.code_hint = codes.digest(code), code[-4:]
        voucher.code_reissued_at = timezone.now()
        voucher.save(update_fields=["code_digest", "code_hint", "code_reissued_at"])
        order = voucher.order
        if order.voucher_email != email:  # a corrected address: the recipient's, or the buyer's
            address = "recipient_email" if order.recipient_email else "buyer_email"
            setattr(order, address, email)
            order.save(update_fields=[address])
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
    # Only the voucher's row: refund() locks the order, then the voucher.
    voucher = (
        Voucher.objects.select_for_update(of=("self",)).select_related("order").get(pk=voucher.pk)
    )
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


# A supporter: an order's kept payment (not a surplus one, refunded anyway), not refunded in full.
SUPPORTER = (
    Q(kind=LedgerEntry.Kind.PAYMENT)
    & ~Q(payment__surplus=True)
    & ~Q(order__status=Order.Status.REFUNDED)
)


def supporters(entries) -> int:
    """People behind the money: orders with a payment that was not refunded in full."""
    return entries.filter(SUPPORTER).count()
