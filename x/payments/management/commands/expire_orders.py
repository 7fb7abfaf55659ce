"""Cancel pending orders whose reservation (SUPPORT_RESERVATION_MINUTES) is over, with their
unfinished payments at the provider, and refund payments that arrived for orders that could not
keep them where the provider could not be reached before.

Run every few minutes (cron or a scheduler); running it twice, or twice at once, does no harm:
every order and payment is handled under its row lock.
"""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce

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


class Command(BaseCommand):
    help = "Cancel pending orders past their reservation; refund payments orders did not keep."

    def handle(self, *args, **options) -> None:
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
        self.stdout.write(f"Cancelled {cancelled} order(s), refunded {refunded} payment(s).")
