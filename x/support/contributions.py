"""What support adds to the directory's and the editorial pages, through the registries and
hooks those apps offer (design.md: the lower app offers the registry or hook, the higher app
fills it). Imported once from SupportConfig.ready().
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Site

from directory import offer_flags
from directory.hooks import MERCHANT_PAGE_ACTIONS, MERCHANT_PAGE_PANELS, MerchantAction
from pages.hooks import HOME_PAGE_PANELS
from payments import selectors as money

from . import selectors
from .models import Campaign, VoucherOffer, donation_offer

# Offer flags: filters on the map, the list and search, badges on results. The columns are
# kept in step with the merchant's offers by support/signals.py.
offer_flags.register(
    "voucher",
    label=_("Sells vouchers"),
    badge=_("Vouchers"),
    field="has_voucher_offer",
    demo_share=0.3,
)
offer_flags.register(
    "donation",
    label=_("Takes donations"),
    badge=_("Donations"),
    field="has_donation_offer",
    demo_share=0.2,
)
offer_flags.register(
    "campaign",
    label=_("Runs a campaign"),
    badge=_("Crowdfunding"),
    field="has_campaign",
    demo_share=0.05,
)


@hooks.register(MERCHANT_PAGE_PANELS)
def offers_panel(page, request):
    """What residents can do for this merchant: vouchers, donations, the campaign."""
    voucher_offer = VoucherOffer.objects.filter(page=page).first()
    campaign = Campaign.objects.filter(page=page).first()
    context = {
        "page": page,
        "voucher_offer": voucher_offer,
        "vouchers_left": selectors.vouchers_left(voucher_offer) if voucher_offer else None,
        "donations": donation_offer(page) is not None,
        "presets": list(page.donation_presets.all()),
        "campaign": campaign,
        "rewards": list(page.campaign_rewards.all()) if campaign else [],
        "campaign_open": campaign.is_open(timezone.localdate()) if campaign else False,
        "campaign_totals": selectors.campaign_totals(campaign) if campaign else None,
        "merchant_totals": money.merchant_support(page),
        "wall": selectors.supporter_wall(page),
    }
    return render_to_string("support/includes/offers.html", context, request=request)


@hooks.register(MERCHANT_PAGE_ACTIONS)
def support_actions(page, request):
    """The buttons under the merchant's name: what a resident can do at once, in the order of
    the offers box (the campaign while it runs, vouchers unless sold out, donations)."""
    actions = []
    campaign = Campaign.objects.filter(page=page).first()
    if campaign and campaign.is_open(timezone.localdate()):
        actions.append(
            MerchantAction(
                _("Support the campaign"),
                reverse("support:checkout", args=[page.pk, "kampagne"]),
                key="campaign",
            )
        )
    voucher_offer = VoucherOffer.objects.filter(page=page).first()
    if voucher_offer and selectors.vouchers_left(voucher_offer) != 0:
        actions.append(
            MerchantAction(
                _("Buy a voucher"),
                reverse("support:checkout", args=[page.pk, "gutschein"]),
                key="voucher",
            )
        )
    if donation_offer(page) is not None:
        actions.append(
            MerchantAction(
                _("Donate"), reverse("support:checkout", args=[page.pk, "spende"]), key="donation"
            )
        )
    return actions


@hooks.register(HOME_PAGE_PANELS)
def city_total_panel(page, request):
    """The home page's headline: what the merchants of the request's city have raised."""
    site = getattr(request, "site", None) or (Site.find_for_request(request) if request else None)
    raised = money.site_raised(site) if site else 0
    if raised <= 0:
        return None
    return render_to_string("support/includes/city_total.html", {"raised": raised}, request=request)
