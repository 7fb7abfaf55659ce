"""Cancel pending orders whose reservation (SUPPORT_RESERVATION_MINUTES) is over, with their
unfinished payments at the provider, and refund payments that arrived for orders that could not
keep them where the provider could not be reached before.

Run every five minutes (deploy/crontab). One run at a time (core.jobs: a second run while one
is under way does nothing); even past the lock, every order and payment is handled under its
row lock.
"""

from __future__ import annotations

import logging

from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce

from core.jobs import JobResult, ScheduledJobCommand
from payments import services
from payments.models import LedgerEntry, Order, Payment
from payments.providers import PaymentError

logger = logging.getLogger(__name__)


def unrefunded_surplus():
    refunded = Coalesce(
        Sum("ledger_entries__amount", filter=Q(ledger_entries__kind=LedgerEntry.Kind.REFUND)),
        Value(0),
    )
    return (
        Payment.objects.filter(surplus=True, state=Payment.State.SUCCEEDED)
        .annotate(left=F("amount") + refunded)  # refunds are negative
        .filter(left__gt=0)
        .order_by("pk")
    )


class Command(ScheduledJobCommand):
    help = "Cancel pending orders past their reservation; refund payments orders did not keep."
    lock_seconds = 15 * 60  # runs every 5 minutes; each provider call is bounded to seconds

    def run_job(self, *args, **options) -> JobResult:
        due = Order.objects.filter(
            status__in=[Order.Status.PENDING, Order.Status.FAILED],
            created_at__lt=services.reservation_start(),
        ).order_by("pk")
        cancelled = refunded = 0
        for order in due:
            try:
                order = services.order_expire(order=order)
            except PaymentError:
                logger.exception("Could not expire order %s; next run", order.reference)
                continue
            cancelled += order.status == Order.Status.CANCELLED
        for payment in unrefunded_surplus():
            try:
                services.refund_surplus(payment=payment)
            except PaymentError:
                logger.exception("Could not refund payment %s; next run", payment.pk)
                continue
            refunded += 1
        return JobResult(
            f"Cancelled {cancelled} order(s), refunded {refunded} payment(s)",
            {"orders_cancelled": cancelled, "payments_refunded": refunded},
        )
