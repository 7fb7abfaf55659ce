"""The public voucher balance page: type the code, see what is left. Rate-limited per client IP
so that nobody can try codes by the thousand; every wrong code gets the same answer."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.ratelimit import over_limit
from payments.models import Order
from payments.money import format_money

from . import selectors

# Far longer than any code typed with spaces or dashes; longer input is cut, never an error.
MAX_INPUT = 60


def _over_lookup_limit(request: HttpRequest) -> bool:
    """Count one lookup for the client's IP; True once over the hourly limit."""
    return over_limit(request, "voucher-lookup", settings.VOUCHER_LOOKUP_RATE_LIMIT)


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, "support/voucher_balance.html", context, status=status)
    # The answer names a voucher's balance: keep it out of caches and search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def voucher_balance(request: HttpRequest) -> HttpResponse:
    # The code is a bearer secret: it travels in a POST body, never in a URL (or a server log).
    typed = request.POST.get("code", "")[:MAX_INPUT].strip()
    context: dict = {"code": typed, "max_input": MAX_INPUT}
    if request.method != "POST":  # the empty form: no lookup, nothing counted
        return _render(request, context)
    if not typed:
        context["empty"] = True
        return _render(request, context, status=400)
    if _over_lookup_limit(request):
        context["rate_limited"] = True
        return _render(request, context, status=429)
    voucher = selectors.voucher_by_code(typed)
    if voucher is None:
        # Unknown and malformed codes answer alike: no hint which part was wrong.
        context["not_found"] = True
        return _render(request, context, status=404)
    balance = voucher.balance()
    context.update(
        voucher=voucher,
        balance=format_money(balance, voucher.currency),
        value=format_money(voucher.value, voucher.currency),
        used_up=balance <= 0,
        expired=voucher.valid_until < timezone.localdate(),
        refunded=voucher.order.status == Order.Status.REFUNDED,
    )
    return _render(request, context)
