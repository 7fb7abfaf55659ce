from django import template
from django.utils import timezone
from wagtail.models import Site

from payments import selectors as money

from .. import selectors
from ..models import Campaign, VoucherOffer, donation_offer

register = template.Library()


@register.inclusion_tag("support/includes/offers.html", takes_context=True)
def support_offers(context, page):
    """What residents can do for this merchant: vouchers, donations, the campaign."""
    voucher_offer = VoucherOffer.objects.filter(page=page).first()
    campaign = Campaign.objects.filter(page=page).first()
    presets = list(page.donation_presets.all())
    return {
        "request": context.get("request"),
        "page": page,
        "voucher_offer": voucher_offer,
        "vouchers_left": selectors.vouchers_left(voucher_offer) if voucher_offer else None,
        "donations": donation_offer(page) is not None,
        "presets": presets,
        "campaign": campaign,
        "rewards": list(page.campaign_rewards.all()) if campaign else [],
        "campaign_open": campaign.is_open(timezone.localdate()) if campaign else False,
        "campaign_totals": selectors.campaign_totals(campaign) if campaign else None,
        "merchant_totals": money.merchant_support(page),
        "wall": selectors.supporter_wall(page),
    }


@register.simple_tag(takes_context=True)
def city_total(context):
    """Cents raised for the merchants of the current site (the home page's headline)."""
    request = context.get("request")
    site = getattr(request, "site", None) if request else None
    if site is None and request is not None:
        site = Site.find_for_request(request)
    return money.site_raised(site) if site else 0
