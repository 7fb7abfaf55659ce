"""Remind buyers of vouchers that expire soon and still hold money; once per voucher.

Run daily (deploy/crontab). One run at a time (core.jobs); even past the lock, each voucher is
claimed before its mail, so each reminder is sent once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.jobs import JobResult, ScheduledJobCommand
from payments.models import LedgerEntry, Order
from support.mails import send_voucher_reminder
from support.models import Voucher

logger = logging.getLogger(__name__)


def due_vouchers():
    """Unreminded, unexpired, not refunded, expiring within VOUCHER_REMINDER_DAYS, balance > 0."""
    today = timezone.localdate()
    spent = Coalesce(
        Sum(
            "order__ledger_entries__amount",
            filter=Q(order__ledger_entries__kind=LedgerEntry.Kind.REDEMPTION),
        ),
        Value(0),
    )
    return (
        Voucher.objects.filter(
            reminder_sent_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=settings.VOUCHER_REMINDER_DAYS),
        )
        .exclude(order__status=Order.Status.REFUNDED)
        .annotate(left=F("value") + spent)  # redemptions are negative
        .filter(left__gt=0)
        .select_related("order__site", "merchant")
        .order_by("valid_until", "pk")
    )


class Command(ScheduledJobCommand):
    help = "Mail the buyers of vouchers that expire soon and still have a balance."

    def run_job(self, *args, **options) -> JobResult:
        sent = failed = 0
        for voucher in due_vouchers():  # each in its buyer's language (mails.py)
            # Claim the voucher first, so that a parallel run cannot mail it a second time.
            claimed = Voucher.objects.filter(pk=voucher.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            if not claimed:
                continue
            if voucher.balance() <= 0:  # a partial refund took the rest (due_vouchers sees none)
                continue
            try:
                send_voucher_reminder(voucher)
            except Exception:
                # Release the claim: the next run tries again instead of never.
                Voucher.objects.filter(pk=voucher.pk).update(reminder_sent_at=None)
                logger.exception("Could not send the reminder for voucher %s", voucher.pk)
                failed += 1
                continue
            sent += 1
        text = f"Sent {sent} voucher reminder(s)" + (f", {failed} failed" if failed else "")
        return JobResult(text, {"reminders_sent": sent, "reminders_failed": failed})
