"""Keep the merchant's offer flags (read by the map feed and search filters) in step with the
offers published on their page."""

from django.utils import timezone
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published, page_unpublished

from directory import feed
from directory.models import MerchantPage

from .models import Campaign, VoucherOffer, donation_offer


def offer_flags(page: MerchantPage) -> dict[str, bool]:
    return {
        "has_voucher_offer": VoucherOffer.objects.filter(page=page).exists(),
        "has_donation_offer": donation_offer(page) is not None,
        "has_campaign": Campaign.objects.filter(
            page=page, deadline__gte=timezone.localdate()
        ).exists(),
    }


def sync_offer_flags(sender, instance, **kwargs):
    flags = offer_flags(instance)
    if any(getattr(instance, name) != value for name, value in flags.items()):
        MerchantPage.objects.filter(pk=instance.pk).update(**flags)
        for name, value in flags.items():
            setattr(instance, name, value)
        insert_or_update_object(instance)
        feed.invalidate()


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(sync_offer_flags, sender=MerchantPage, dispatch_uid=f"offers-{id(signal)}")
