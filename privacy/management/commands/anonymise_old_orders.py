"""The retention rule: buyers' personal details leave orders once the statutory period is over.
Run daily (deploy/crontab): `manage.py anonymise_old_orders`, one run at a time (core.jobs)."""

from django.conf import settings

from core.jobs import JobResult, ScheduledJobCommand
from privacy import services


class Command(ScheduledJobCommand):
    help = (
        "Anonymise the buyers of orders past the retention period (PRIVACY_RETENTION_DAYS after "
        "the end of the order's year) whose vouchers hold no money any more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the orders that are due."
        )

    def run_job(self, *args, dry_run=False, **options) -> JobResult:
        cutoff = services.retention_cutoff()
        count = services.retention_apply(dry_run=dry_run)
        verb = "due" if dry_run else "anonymised"
        return JobResult(
            f"{count} orders placed before {cutoff.date().isoformat()} {verb} "
            f"(PRIVACY_RETENTION_DAYS={settings.PRIVACY_RETENTION_DAYS})",
            {"orders_due" if dry_run else "orders_anonymised": count},
        )
