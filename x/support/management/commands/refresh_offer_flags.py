"""Switch off the "runs a campaign" flag (map, search, API) of merchants whose campaigns have all
passed their deadline. Flags are otherwise refreshed when a page is published; a deadline passes
without one. Run daily after midnight; running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from directory.models import MerchantPage
from support.signals import sync_offer_flags


class Command(BaseCommand):
    help = "Switch off the campaign flag of merchants whose campaigns have ended."

    def handle(self, *args, **options) -> None:
        ended = MerchantPage.objects.filter(has_campaign=True).exclude(
            campaigns__deadline__gte=timezone.localdate()
        )
        count = 0
        for page in ended:
            sync_offer_flags(MerchantPage, page)
            count += 1
        self.stdout.write(f"Campaign flag switched off for {count} merchant(s).")
