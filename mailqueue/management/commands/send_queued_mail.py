"""Deliver every queued mail that is due: the scheduled safety net behind the delivery tasks."""

from django.core.management.base import BaseCommand

from mailqueue.services import mail_send_due


class Command(BaseCommand):
    help = "Send every queued mail that is due (retries included)."

    def handle(self, *args, **options):
        outcome = mail_send_due()
        summary = ", ".join(f"{count} {what}" for what, count in sorted(outcome.items()))
        self.stdout.write(f"Queued mail: {summary or 'nothing due'}")
