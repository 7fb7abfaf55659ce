"""Checkout: choose an amount, say who you are, pay, get thanked. The order page is also the
providers' return URL: it asks the provider how the payment stands before it says anything."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.ratelimit import over_limit
from directory.models import MerchantPage

from . import services
from .forms import CampaignForm, DonationForm, VoucherForm
from .models import Campaign, Order, Payment, VoucherOffer, donation_offer
from .providers.base import PaymentError, ProviderUnavailable
from .providers.demo import DemoProvider

logger = logging.getLogger(__name__)

# URL words (German first, like the rest of the site's paths) → order kinds.
KINDS = {
    "gutschein": Order.Kind.VOUCHER,
    "spende": Order.Kind.DONATION,
    "kampagne": Order.Kind.CAMPAIGN,
}


def _merchant(request, page_id) -> MerchantPage:
    """A live, public merchant of the site this request is for."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    page = get_object_or_404(MerchantPage.objects.live().public(), pk=page_id)
    if site is None or not page.is_descendant_of(site.root_page):
        raise Http404
    return page, site


def _checkout_form(kind, page, data=None):
    if kind == Order.Kind.VOUCHER:
        offer = VoucherOffer.objects.filter(page=page).first()
        if offer is None:
            raise Http404
        return VoucherForm(data, offer=offer), {"offer": offer}
    if kind == Order.Kind.DONATION:
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


def _place(kind, page, site, data) -> Order:
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
    if kind == Order.Kind.VOUCHER:
        return services.order_voucher(page, data["amount"], buyer, site)
    if kind == Order.Kind.DONATION:
        return services.order_donation(
            page, data["amount"], buyer, site, preset=data.get("preset_object")
        )
    return services.order_campaign(page, data["amount"], buyer, site, data.get("reward_object"))


def _too_many_attempts(request) -> bool:
    """Card testers try hundreds of cards: a client gets a few payment attempts per hour."""
    return over_limit(request, "payment", settings.PAYMENT_RATE_LIMIT)


def _rate_limited_page(request):
    return render(request, "support/rate_limited.html", status=429)


def _pay(request, order):
    """Start a payment attempt and do what the provider says next."""
    try:
        step = services.start_payment(order, request)
    except ProviderUnavailable as error:
        messages.error(request, str(error))
        return redirect("support:order", reference=order.reference)
    except (PaymentError, services.OrderRefused) as error:
        messages.error(request, str(error))
        return redirect("support:order", reference=order.reference)
    if step.redirect_url:
        return redirect(step.redirect_url)
    return render(request, step.template, {"order": order, **step.context})


def checkout(request, page_id, kind):
    kind = KINDS.get(kind)
    if kind is None:
        raise Http404
    page, site = _merchant(request, page_id)
    form, extra = _checkout_form(kind, page, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _too_many_attempts(request):
            return _rate_limited_page(request)
        try:
            order = _place(kind, page, site, form.cleaned_data)
        except services.OrderRefused as error:
            form.add_error(None, str(error))
        else:
            return _pay(request, order)
    return render(
        request,
        "support/checkout.html",
        {"page": page, "merchant": page, "kind": kind, "form": form, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


def order_status(request, reference):
    order = get_object_or_404(Order.objects.select_related("merchant"), reference=reference)
    if order.payments.filter(state__in=services.OPEN_ATTEMPT).exists():
        try:
            order = services.sync_order(order)
        except PaymentError as error:  # provider down: say so, the order waits
            messages.error(request, str(error))
    payable = order.status in (Order.Status.PENDING, Order.Status.FAILED)
    return render(
        request,
        "support/order.html",
        {
            "order": order,
            "merchant": order.merchant,
            "page": order.merchant,
            "expired": payable and services.reservation_over(order),
            "payable": payable and not services.reservation_over(order),
            "money_returned": order.payments.filter(surplus=True).exists(),
        },
    )


@require_POST
def pay(request, reference):
    """Try again: a failed or unfinished order gets a new payment attempt."""
    order = get_object_or_404(Order, reference=reference)
    if _too_many_attempts(request):
        return _rate_limited_page(request)
    return _pay(request, order)


def demo_payment(request, reference):
    """The demo provider's test payment page: the buyer decides whether the payment succeeds."""
    try:
        DemoProvider()
    except ImproperlyConfigured:
        raise Http404 from None
    payment = get_object_or_404(
        Payment.objects.select_related("order__merchant"),
        provider="demo",
        reference=reference,
    )
    if request.method == "POST":
        DemoProvider.decide(reference, pay=request.POST.get("decision") == "pay")
        return redirect("support:order", reference=payment.order.reference)
    return render(
        request, "support/demo_payment.html", {"payment": payment, "order": payment.order}
    )
