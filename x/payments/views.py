"""The buyer's side of the money core: the order page, which is also every provider's return URL
(it asks the provider how the payment stands before it says anything), and paying again."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.ratelimit import over_limit

from . import selectors, services
from .models import Order
from .providers import PaymentError


def too_many_attempts(request) -> bool:
    """Card testers try hundreds of cards: a client gets a few payment attempts per hour."""
    return over_limit(request, "payment", settings.PAYMENT_RATE_LIMIT)


def rate_limited_page(request):
    return render(request, "payments/rate_limited.html", status=429)


def pay_order(request, order: Order):
    """Start a payment attempt and do what the provider says next (checkouts end here)."""
    return_url = request.build_absolute_uri(reverse("payments:order", args=[order.reference]))
    try:
        step = services.payment_start(order=order, return_url=return_url)
    except (PaymentError, services.OrderRefused) as error:
        messages.error(request, str(error))
        return redirect("payments:order", reference=order.reference)
    if step.redirect_url:
        return redirect(step.redirect_url)
    return render(request, step.template, {"order": order, **step.context})


def order_status(request, reference):
    order = get_object_or_404(Order.objects.select_related("merchant"), reference=reference)
    if selectors.open_attempts(order):
        try:
            order = services.order_sync(order=order)
        except PaymentError as error:  # provider down: say so, the order waits
            messages.error(request, str(error))
    payable = order.status in (Order.Status.PENDING, Order.Status.FAILED)
    expired = payable and services.reservation_over(order)
    return render(
        request,
        "payments/order.html",
        {
            "order": order,
            "merchant": order.merchant,
            "page": order.merchant,
            "thanks": order.product_kind.thanks(order) if order.is_paid else "",
            "expired": expired,
            "payable": payable and not expired,
            "money_returned": selectors.money_returned(order),
        },
    )


@require_POST
def pay(request, reference):
    """Try again: a failed or unfinished order gets a new payment attempt."""
    order = get_object_or_404(Order, reference=reference)
    if too_many_attempts(request):
        return rate_limited_page(request)
    return pay_order(request, order)
