"""What came in: the merchant's income page (every figure from the ledger), their supporter
wall to moderate, and the panel on their dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from payments import selectors as money

from .. import selectors, services
from .merchant import own_page


def paginate(request: HttpRequest, items: QuerySet, key: str, per_page: int = 50):
    """One of several paginated lists on a page, each with its own query parameter."""
    page = Paginator(items, per_page).get_page(request.GET.get(key))

    def url(number: int) -> str:
        query = request.GET.copy()
        query[key] = str(number)
        return "?" + query.urlencode()

    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    return page


def income(request: HttpRequest) -> HttpResponse:
    page = own_page(request)
    orders = money.merchant_sales(page)
    movements = money.merchant_movements(page).select_related("order__voucher")
    wall = selectors.wall_entries(page)
    return render(
        request,
        "support/admin/income.html",
        {
            "page": page,
            "totals": selectors.income_totals(page),
            "orders": paginate(request, orders, "orders"),
            "movements": paginate(request, movements, "movements"),
            "wall_pending": wall.filter(wall="pending").order_by("order__paid_at", "pk"),
            "wall_done": wall.exclude(wall="pending").order_by("-order__paid_at", "-pk")[:20],
        },
    )


def moderate_wall(request: HttpRequest, pk: int) -> HttpResponse:
    """Show or hide one supporter's name and message; only on the merchant's own orders."""
    page = own_page(request)
    if request.method != "POST":
        return redirect("support_income")
    details = get_object_or_404(selectors.wall_entries(page), pk=pk)
    decision = {"show": True, "hide": False}.get(request.POST.get("wall"))
    if decision is None:
        messages.error(request, _("Please choose show or hide."))
    else:
        services.wall_moderate(details=details, shown=decision)
        if decision:
            messages.success(request, _("Shown on your supporter wall."))
        else:
            messages.success(request, _("Hidden from your supporter wall."))
    return redirect(reverse("support_income") + "#wall")


class SupportPanel(Component):
    """On the merchant's dashboard: what came in, and the way to the counter."""

    name = "support"
    order = 20
    template_name = "support/admin/support_panel.html"

    def __init__(self, page):
        self.page = page

    def get_context_data(self, parent_context=None):
        return {
            **money.merchant_support(self.page),
            "wall_pending": selectors.wall_pending(self.page),
            "redeem_url": reverse("support_redeem"),
            "income_url": reverse("support_income"),
        }
