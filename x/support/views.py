"""Checkout: choose an amount, say who you are, pay. Paying and the order page are the money
core's (payments.views)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from wagtail.models import Site

from core.ratelimit import client_address
from directory.models import MerchantPage
from payments.services import OrderRefused
from payments.views import pay_order, rate_limited_page, too_many_attempts

from . import services
from .forms import CampaignForm, DonationForm, VoucherForm
from .models import Campaign, VoucherOffer, donation_offer

# URL words (German first, like the rest of the site's paths) → product kinds.
KINDS = {
    "gutschein": services.VOUCHER,
    "spende": services.DONATION,
    "kampagne": services.CAMPAIGN,
}


def _merchant(request, page_id) -> tuple[MerchantPage, Site]:
    """A live, public merchant of the site this request is for."""
    site = Site.find_for_request(request)
    page = get_object_or_404(MerchantPage.objects.live().public(), pk=page_id)
    if site is None or not page.is_descendant_of(site.root_page):
        raise Http404
    return page, site


def _checkout_form(kind, page, data=None):
    if kind == services.VOUCHER:
        offer = VoucherOffer.objects.filter(page=page).first()
        if offer is None:
            raise Http404
        return VoucherForm(data, offer=offer), {"offer": offer}
    if kind == services.DONATION:
        offer = donation_offer(page)
        if offer is None:
            raise Http404
        form = DonationForm(
            data,
            presets=list(page.donation_presets.all()),
            free_amount=offer.free_amount,
            wall=offer.supporter_wall,
        )
        return form, {"offer": offer}
    campaign = Campaign.objects.filter(page=page).first()
    if campaign is None:
        raise Http404
    form = CampaignForm(data, rewards=page.campaign_rewards.all())
    return form, {"campaign": campaign, "campaign_open": campaign.is_open(timezone.localdate())}


def _place(kind, page, site, data, client):
    buyer = services.Buyer(
        name=data["buyer_name"],
        email=data["buyer_email"],
        recipient_name=data.get("recipient_name", ""),
        recipient_email=data.get("recipient_email", ""),
        gift_message=data.get("gift_message", ""),
        supporter_name=data.get("supporter_name", ""),
        supporter_message=data.get("supporter_message", ""),
        on_wall=data.get("on_wall", False),
    )
    placed = {"merchant": page, "amount": data["amount"], "buyer": buyer, "site": site}
    if kind == services.VOUCHER:
        # Who holds how much of a limited stock is counted per address too (services).
        return services.order_voucher(**placed, client=client)
    if kind == services.DONATION:
        return services.order_donation(**placed, preset=data.get("preset_object"))
    return services.order_campaign(**placed, reward=data.get("reward_object"))


def checkout(request, page_id, kind):
    kind = KINDS.get(kind)
    if kind is None:
        raise Http404
    page, site = _merchant(request, page_id)
    form, extra = _checkout_form(kind, page, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if too_many_attempts(request):
            return rate_limited_page(request)
        try:
            order = _place(kind, page, site, form.cleaned_data, client_address(request))
        except OrderRefused as error:
            form.add_error(None, str(error))
        else:
            return pay_order(request, order)
    return render(
        request,
        "support/checkout.html",
        {"page": page, "merchant": page, "kind": kind, "form": form, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )
