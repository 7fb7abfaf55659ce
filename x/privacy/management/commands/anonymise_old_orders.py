"""The retention rule: buyers' personal details leave orders once the statutory period is over.
Run daily, e.g. from cron: `manage.py anonymise_old_orders`."""

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy import services


class Command(BaseCommand):
    help = (
        "Anonymise the buyers of orders past the retention period (PRIVACY_RETENTION_DAYS after "
        "the end of the order's year) whose vouchers hold no money any more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the orders that are due."
        )

    def handle(self, *args, dry_run=False, **options):
        cutoff = services.retention_cutoff()
        count = services.retention_apply(dry_run=dry_run)
        verb = "due" if dry_run else "anonymised"
        self.stdout.write(
            f"{count} orders placed before {cutoff.date().isoformat()} {verb} "
            f"(PRIVACY_RETENTION_DAYS={settings.PRIVACY_RETENTION_DAYS})."
        )
