"""Switch off the "runs a campaign" flag (map, search, API) of merchants whose campaigns have all
passed their deadline. Flags are otherwise refreshed when a page is published; a deadline passes
without one. Run daily after midnight (deploy/crontab), one run at a time (core.jobs); running it
again changes nothing."""

from django.utils import timezone

from core.jobs import JobResult, ScheduledJobCommand
from directory.models import MerchantPage
from support.signals import sync_offer_flags


class Command(ScheduledJobCommand):
    help = "Switch off the campaign flag of merchants whose campaigns have ended."

    def run_job(self, *args, **options) -> JobResult:
        ended = MerchantPage.objects.filter(has_campaign=True).exclude(
            campaigns__deadline__gte=timezone.localdate()
        )
        count = 0
        for page in ended:
            sync_offer_flags(MerchantPage, page)
            count += 1
        return JobResult(
            f"Campaign flag switched off for {count} merchant(s)", {"flags_refreshed": count}
        )
