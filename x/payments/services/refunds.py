"""Refunds: recorded first (payments.Refund), then sent to the provider, booked once done. The
product kind says how much of an order may be refunded (a redeemed voucher was spent)."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import selectors
from ..models import LedgerEntry, Order, Payment, Refund
from ..money import format_money
from ..providers import PaymentError, get_provider
from .ledger import book
from .log import set_order_status, set_refund_state
from .orders import OrderRefused

logger = logging.getLogger(__name__)


def refund_create(
    *,
    order: Order,
    amount: int | None = None,
    user=None,
    source: str = Refund.Source.EDITOR,
    refunded_before: int | None = None,
) -> Refund:
    """Refund `amount` cents (None: all that may be refunded) of a paid order through its
    provider and book it. With `refunded_before` (what the editor saw refunded), only while
    nobody else refunded meanwhile: a second click refunds nothing twice. Raises OrderRefused
    (the amount does not fit) or PaymentError (the provider refused or could not be reached:
    the refund is kept as failed, nothing booked)."""
    error = None
    with transaction.atomic():
        # The order's lock is taken first, and without the key (no_key): a seller's row lock
        # taken next (a voucher being redeemed) may book a ledger entry referencing the order,
        # which needs a key share lock on it; FOR UPDATE here would deadlock the two.
        order = Order.objects.select_for_update(no_key=True).get(pk=order.pk)
        if not order.is_paid:
            raise OrderRefused(_("Only paid orders can be refunded."))
        refunded = selectors.refunded_amount(order)
        if refunded_before is not None and refunded != refunded_before:
            raise OrderRefused(
                _("Meanwhile %(amount)s of this order were refunded. Please check.")
                % {"amount": format_money(refunded)}
            )
        left, reason = selectors.order_refundable(order, lock=True)
        if amount is None:
            amount = left
        if not 0 < amount <= left:
            raise OrderRefused(
                reason or _("At most %(amount)s can be refunded.") % {"amount": format_money(left)}
            )
        payment = selectors.kept_payment(order)
        refund = Refund.objects.create(
            order=order,
            payment=payment,
            amount=amount,
            currency=order.currency,
            source=source,
            user=user if getattr(user, "pk", None) else None,
        )
        try:
            reference = get_provider(payment.provider).refund(payment, amount)
        except PaymentError as failed:
            error = failed
            set_refund_state(refund, Refund.State.FAILED, user=user, error=str(failed)[:300])
        else:
            _refund_done(refund, reference, user=user)
    if error is not None:
        raise error
    return refund


def refund_surplus(*, payment: Payment) -> None:
    """Give back in full a payment the order did not keep (payment_fulfil booked it as surplus),
    and tell the buyer. Does nothing for other payments or once done; a provider that cannot be
    reached raises, and the webhook's retry or expire_orders tries again."""
    from ..mails import send_surplus_refund

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment.surplus or payment.state != Payment.State.SUCCEEDED:
            return
        left = payment.amount - selectors.payment_refunded(payment)
        if left <= 0:
            return
        reference = get_provider(payment.provider).refund(payment, left)
        _record_done(order, payment, left, reference, Refund.Source.PORTAL)
    transaction.on_commit(lambda: send_surplus_refund(payment))


def refunds_sync(*, payment: Payment) -> int:
    """Record and book the refunds the provider knows of and the portal lacks: those made in
    its own dashboard. Returns how many were booked; refunds made here are found already."""
    if payment.state != Payment.State.SUCCEEDED:
        return 0
    known = get_provider(payment.provider).refunds(payment)
    booked = 0
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        done = set(payment.refunds.exclude(reference="").values_list("reference", flat=True))
        for reference, amount in known:
            if reference in done:
                continue
            fits = payment.surplus or order.is_paid
            if not fits or amount > payment.amount - selectors.payment_refunded(payment):
                logger.error("Refund %s does not fit order %s", reference, order.reference)
                continue
            try:
                with transaction.atomic():
                    _record_done(order, payment, amount, reference, Refund.Source.PROVIDER)
            except IntegrityError:  # recorded meanwhile by the admin's own refund
                order.refresh_from_db()
                continue
            booked += 1
    return booked


def _record_done(
    order: Order, payment: Payment, amount: int, reference: str, source: str
) -> LedgerEntry:
    """A refund the provider made already (the portal's own, or one made in its dashboard);
    the caller holds the order's row lock."""
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        currency=payment.currency,
        source=source,
    )
    return _refund_done(refund, reference)


def _refund_done(refund: Refund, reference: str, *, user=None) -> LedgerEntry:
    """The provider took the refund: record its reference and book it; the caller holds the
    order's row lock. Refunds of the kept payment move the order to (partially) refunded;
    those of a surplus payment leave it as it is."""
    order, payment = refund.order, refund.payment
    refunded_before = selectors.payment_refunded(payment)
    set_refund_state(refund, Refund.State.DONE, user=user, reference=reference)
    fields = {"reference": reference, "payment": payment, "refund": refund, "user": refund.user}
    entry = book(order, LedgerEntry.Kind.REFUND, -refund.amount, **fields)
    if payment.destination:
        _book_reversal(order, payment, refunded_before, refund.amount, fields)
    if not payment.surplus:
        fully = refunded_before + refund.amount == order.amount
        status = Order.Status.REFUNDED if fully else Order.Status.PARTIALLY_REFUNDED
        set_order_status(order, status, user=user, refund=refund.pk)
    return entry


def returned_fee(payment: Payment, refunded: int) -> int:
    """The platform's fee given back once `refunded` cents of the payment are refunded: in
    proportion, rounded half up, so that a full refund returns the whole fee."""
    return (2 * refunded * payment.platform_fee + payment.amount) // (2 * payment.amount)


def _book_reversal(
    order: Order, payment: Payment, refunded_before: int, amount: int, fields: dict
) -> None:
    """A refund of a payment that went to the merchant's account: the provider takes the
    merchant's share back from that account and returns the platform's share of the fee (the
    stripe provider asks for both), so payout and fee are booked back in proportion and the
    order's ledger still sums to what the platform holds for the merchant."""
    fee_back = returned_fee(payment, refunded_before + amount) - returned_fee(
        payment, refunded_before
    )
    if fee_back:
        book(order, LedgerEntry.Kind.FEE, fee_back, **fields)
    book(order, LedgerEntry.Kind.PAYOUT, amount - fee_back, **fields)
