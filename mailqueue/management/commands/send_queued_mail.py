"""Deliver every queued mail that is due: the scheduled safety net behind the delivery tasks.
Run every 10 minutes (deploy/crontab), one run at a time (core.jobs); even past the lock, each
mail is claimed by one sender at a time (mailqueue/services.py)."""

from core.jobs import JobResult, ScheduledJobCommand
from mailqueue.services import mail_prune_sent, mail_send_due


class Command(ScheduledJobCommand):
    help = "Send every queued mail that is due (retries included)."
    lock_seconds = 30 * 60  # up to 1000 mails a run, each bounded by EMAIL_TIMEOUT

    def run_job(self, *args, **options) -> JobResult:
        outcome = mail_send_due()
        counts = {
            "mails_sent": outcome.get("sent", 0),
            "mails_retried": outcome.get("retry", 0),  # failed now, due again later
            "mails_failed": outcome.get("failed", 0),  # failed for good: editors resend them
            "mails_skipped": outcome.get("not due", 0),  # sent or being sent elsewhere
            "mails_pruned": mail_prune_sent(),  # sent longer ago than MAIL_KEEP_SENT_DAYS
        }
        return JobResult(
            "Queued mail: {mails_sent} sent, {mails_retried} to retry, {mails_failed} failed, "
            "{mails_skipped} skipped, {mails_pruned} old sent mails deleted".format(**counts),
            counts,
        )
