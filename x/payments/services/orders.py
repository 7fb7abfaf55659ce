"""Placing an order, paying it and fulfilling it: the only code that moves orders and payments
along. Whatever is sold, its product kind (payments.registry) is called back to fulfil it and
to check its stock."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import LedgerEntry, Order, Payment
from ..money import currency, format_money
from ..providers import NextStep, PaymentError, PaymentState, get_provider
from ..registry import get_kind
from .ledger import book_payment
from .log import log_action, set_order_status, set_payment_state

logger = logging.getLogger(__name__)


class OrderRefused(Exception):
    """The order cannot be placed or paid as asked; the message is for the buyer."""


EXPIRED = gettext_lazy(
    "This order has expired and can no longer be paid. Please place a new order."
)
SOLD_OUT = gettext_lazy(
    "Sorry, this sold out while the order was waiting for its payment. Nothing was charged."
)


def order_place(
    *, site, merchant, kind: str, amount: int, item: str, buyer_name: str, buyer_email: str
) -> Order:
    """A pending order of a registered product kind; the seller has priced it already (the
    server recomputes every price) and adds its own details in the same transaction."""
    get_kind(kind)  # an unknown kind is a bug of the seller, not the buyer's mistake
    if not 0 < amount <= settings.SUPPORT_MAX_AMOUNT:
        raise OrderRefused(
            _("Amounts from 1 € up to %(max)s are possible.")
            % {"max": format_money(settings.SUPPORT_MAX_AMOUNT)}
        )
    order = Order.objects.create(
        site=site,
        merchant=merchant,
        kind=kind,
        amount=amount,
        item=item,
        currency=currency(),
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        language=translation.get_language() or "",
    )
    log_action(order, "order.placed", amount=amount, kind=kind)
    return order


def reservation_over(order: Order) -> bool:
    """A pending order holds its place (e.g. a voucher of a limited offer) for
    SUPPORT_RESERVATION_MINUTES; after that it can no longer be paid, only placed again."""
    return order.created_at < reservation_start()


def reservation_start():
    """Orders created since then may still be paid (and hold their place while a payment of
    theirs is under way, see reservation_holding)."""
    return timezone.now() - timedelta(minutes=settings.SUPPORT_RESERVATION_MINUTES)


def reservation_holding(order_field: str = "") -> Q:
    """Unpaid orders that hold their place in a limited stock, as a filter on orders (or, with
    `order_field`, on a model pointing at its order).

    As a ticket shop does it (pretix: a reservation expires, and one order holds only what it
    buys): an unpaid order holds its place for a few minutes' grace
    (SUPPORT_RESERVATION_GRACE_MINUTES), long enough to reach the provider's page, and after
    that only while a payment attempt of it is under way at the provider, up to
    SUPPORT_RESERVATION_MINUTES. An order whose attempt failed or was never started lets its
    place go after the grace. The seller caps how many such orders one client may hold at
    once (support.services.order_voucher): together, one client cannot sit on a whole stock.
    """
    prefix = f"{order_field}__" if order_field else ""
    started = Exists(
        Payment.objects.filter(order=OuterRef(order_field or "pk"), state__in=Payment.OPEN)
    )
    grace = timezone.now() - timedelta(minutes=settings.SUPPORT_RESERVATION_GRACE_MINUTES)
    return Q(**{f"{prefix}status__in": [Order.Status.PENDING, Order.Status.FAILED]}) & (
        Q(**{f"{prefix}created_at__gte": grace})
        | (Q(started) & Q(**{f"{prefix}created_at__gte": reservation_start()}))
    )


def payment_start(*, order: Order, return_url: str) -> NextStep:
    """A new payment attempt for a pending (or failed) order; returns the provider's NextStep.
    The buyer comes back to `return_url` (the order's page).

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
            set_order_status(order, Order.Status.CANCELLED, reason="reservation over")
        elif live is None and not get_kind(order.kind).in_stock(order):
            # Its place lapsed (reservation_holding: no payment under way after the grace)
            # and others took the stock: say so now rather than take money to refund it.
            set_order_status(order, Order.Status.CANCELLED, reason="sold out")
            error = OrderRefused(SOLD_OUT)
        elif live is None:
            if order.status == Order.Status.FAILED:
                set_order_status(order, Order.Status.PENDING, reason="new attempt")
            provider = get_provider()
            payment = Payment.objects.create(
                order=order, provider=provider.name, amount=order.amount, currency=order.currency
            )
            try:
                step = provider.start(payment, return_url=return_url)
            except PaymentError as failed:
                error = failed
                state = Payment.State.FAILED
            else:
                state = Payment.State.PENDING
            set_payment_state(
                payment,
                state,
                reference=payment.reference,
                destination=payment.destination,
                platform_fee=payment.platform_fee,
            )
    if live is not None:
        if payment_sync(payment=live).is_paid:
            raise OrderRefused(_("This order is paid already."))
        raise OrderRefused(
            _(
                "Your payment is still being processed. You get an e-mail as soon as it is "
                "confirmed."
            )
        )
    if isinstance(error, OrderRefused):
        raise error
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
    for payment in order.payments.filter(state__in=Payment.OPEN).order_by("pk"):
        if not payment.reference:
            state = PaymentState.CANCELLED  # the provider never answered: nothing to pay
        else:
            provider = get_provider(payment.provider)
            state = provider.fetch_state(payment)
            if state == PaymentState.PENDING and provider.supports_cancel:
                state = provider.cancel(payment)
        if state in (PaymentState.SUCCEEDED, PaymentState.PROCESSING):
            return payment
        if state in (PaymentState.FAILED, PaymentState.CANCELLED):
            set_payment_state(payment, state)
    return None


def order_expire(*, order: Order) -> Order:
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
            set_order_status(order, Order.Status.CANCELLED, reason="reservation over")
            return order
    return payment_sync(payment=live)


def order_sync(*, order: Order) -> Order:
    """Sync every attempt of the order that may still take money (the order page does this)."""
    for payment in order.payments.filter(state__in=Payment.OPEN).exclude(reference=None):
        order = payment_sync(payment=payment)
    return Order.objects.get(pk=order.pk)


def payment_sync(*, payment: Payment) -> Order:
    """Ask the provider how a payment stands and act on it: the one path from 'the provider
    says' to 'the order is paid', used by return URLs and webhooks alike. Money the order does
    not keep is refunded here."""
    from .refunds import refund_surplus

    state = get_provider(payment.provider).fetch_state(payment)
    if state == PaymentState.SUCCEEDED:
        payment_fulfil(payment=payment)
        refund_surplus(payment=payment)
    elif state in (PaymentState.FAILED, PaymentState.CANCELLED):
        _payment_failed(payment, state)
    return Order.objects.get(pk=payment.order_id)


@transaction.atomic
def _payment_failed(payment: Payment, state: str) -> None:
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state == Payment.State.SUCCEEDED:
        return
    set_payment_state(payment, state)
    # Only the latest attempt says how the order stands: an earlier one cancelled for it does not.
    latest = not order.payments.filter(pk__gt=payment.pk).exists()
    if order.status == Order.Status.PENDING and latest:
        set_order_status(order, Order.Status.FAILED)


def _can_fulfil(order: Order) -> bool:
    """Whether a payment arriving now may fulfil the order: not once it is paid or cancelled,
    and not when its product sold out meanwhile (its reservation may be over)."""
    if order.fulfilled_at is not None or order.status == Order.Status.CANCELLED:
        return False
    return get_kind(order.kind).in_stock(order)


def payment_fulfil(*, payment: Payment) -> bool:
    """Book a succeeded payment and have the seller issue what was bought, exactly once however
    often (or however concurrently) it is called. Returns True for the call that did it. A
    payment the order cannot keep (it is paid already, cancelled, or sold out) is booked as
    surplus, and payment_sync refunds it."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != Payment.State.SUCCEEDED:
            set_payment_state(payment, Payment.State.SUCCEEDED)
        if payment.ledger_entries.filter(kind=LedgerEntry.Kind.PAYMENT).exists():
            return False
        if not _can_fulfil(order):
            logger.warning("Payment %s for order %s is refunded", payment, order.reference)
            payment.surplus = True
            payment.save(update_fields=["surplus", "updated_at"])
            log_action(order, "payment.surplus", payment=payment.pk)
            if order.status in (Order.Status.PENDING, Order.Status.FAILED):  # sold out
                set_order_status(order, Order.Status.CANCELLED, reason="sold out")
            book_payment(order, payment)
            return False
        order.paid_at = order.fulfilled_at = timezone.now()
        set_order_status(order, Order.Status.PAID, payment=payment.pk)
        book_payment(order, payment)
        get_kind(order.kind).fulfil(order)
    return True
