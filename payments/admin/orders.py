"""Editors' orders: a filtered list, and one order's page with its payments, refunds, ledger and
action log, where editors who may change orders refund. What the order bought is shown by the
seller's panels (the `payments_order_panels` hook: fn(request, order) -> Component or None)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from core.cities import sites_for_user

from .. import selectors, services
from ..models import Order
from ..money import EuroFormField, format_money
from ..providers import PaymentError
from ..registry import kind_choices

VIEW_PERMISSION = "payments.view_order"
CHANGE_PERMISSION = "payments.change_order"


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Order.Status.choices)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=kind_choices)
    paid_from = django_filters.DateFilter(
        label=gettext_lazy("Paid from"), field_name="paid_at", lookup_expr="date__gte"
    )
    paid_to = django_filters.DateFilter(
        label=gettext_lazy("Paid until"), field_name="paid_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Order
        fields = ["status", "kind", "site"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the cities the editor acts for are offered (and the list holds no other).
        user = getattr(self.request, "user", None)
        self.filters["site"].queryset = sites_for_user(user) if user else Site.objects.none()


class RefundForm(forms.Form):
    amount = EuroFormField(
        label=gettext_lazy("Amount to refund in euros"), required=False, min_value=1
    )
    # What was refunded when the editor looked: a second click must not refund twice.
    refunded_before = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # "Refund all" is sent from its confirmation (a second POST with this field): one click
    # on the wrong button refunds nothing, with or without JavaScript.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


def order_panels(request: HttpRequest, order: Order) -> list:
    panels = (hook(request, order) for hook in hooks.get_hooks("payments_order_panels"))
    return [panel for panel in panels if panel is not None]


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    # Another city's order is not found: editors act for their own city only.
    order = get_object_or_404(
        Order.objects.select_related("merchant", "site").filter(
            site__in=sites_for_user(request.user)
        ),
        pk=pk,
    )
    may_change = request.user.has_perm(CHANGE_PERMISSION)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    action = request.POST.get("action")
    form = RefundForm(request.POST if action in ("all", "amount") else None)
    confirm_all = False
    if form.is_bound and form.is_valid():
        amount = None if action == "all" else form.cleaned_data["amount"]
        if action != "all" and amount is None:
            form.add_error("amount", _("Please enter the amount to refund."))
        elif action == "all" and not form.cleaned_data["confirm"]:
            confirm_all = True  # the page again, asking
        else:
            try:
                refund = services.refund_create(
                    order=order,
                    amount=amount,
                    user=request.user,
                    refunded_before=form.cleaned_data["refunded_before"],
                )
            except (services.OrderRefused, PaymentError) as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(amount)s refunded.") % {"amount": format_money(refund.amount)}
                )
                return redirect("orders:edit", pk=order.pk)
    left, _reason = selectors.order_refundable(order)
    return render(
        request,
        "payments/admin/order_detail.html",
        {
            "order": order,
            "title": capfirst(Order._meta.verbose_name),
            "panels": order_panels(request, order),
            "payments": order.payments.order_by("created_at"),
            "refunds": order.refunds.select_related("user"),
            "entries": order.ledger_entries.select_related("user", "payment").order_by(
                "created_at", "pk"
            ),
            "log": order.log_entries.select_related("user"),
            "refunded": selectors.refunded_amount(order),
            "left": left,
            # Nothing left to refund: no button for 0 €.
            "may_refund": may_change and order.is_paid and left > 0,
            "confirm_all": confirm_all,
            "form": form,
            "succeeded": selectors.kept_payment(order),
        },
        status=400 if form.errors else 200,
    )


def _amount(order: Order) -> str:
    return format_money(order.amount, order.currency)


# What a buyer reads out from the order page or a mail: "Bestellnummer f2eba661", "#F2EBA661",
# or the whole reference with its dashes.
ORDER_NUMBER = re.compile(r"^(?:bestellnummer|order number|nr\.?)?\s*#?\s*([0-9a-f-]{4,36})$", re.I)


class OrderIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(site__in=sites_for_user(self.request.user))

    def search_queryset(self, queryset):
        """Names, e-mail addresses and items as Wagtail searches them, plus the order number:
        its hex digits are a prefix of the reference (hyphens and case as the buyer typed)."""
        found = super().search_queryset(queryset)
        match = ORDER_NUMBER.match(self.search_query.strip()) if self.is_searching else None
        if not match:
            return found
        digits = match.group(1).replace("-", "").lower()
        by_number = queryset.filter(reference__startswith=_dashed(digits))
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=by_number.values("pk")))


def _dashed(digits: str) -> str:
    """A reference prefix as the database compares UUIDs as text: with the canonical dashes."""
    cuts = (8, 12, 16, 20)
    parts, start = [], 0
    for cut in cuts:
        if len(digits) <= cut:
            break
        parts.append(digits[start:cut])
        start = cut
    parts.append(digits[start:])
    return "-".join(parts)


class OrderViewSet(ModelViewSet):
    """A filtered list of orders whose rows open the order page: nothing to add or delete."""

    model = Order
    name = "orders"
    icon = "list-ul"
    menu_label = gettext_lazy("Orders")
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = OrderIndexView
    list_display = [
        Column("number", label=gettext_lazy("Order number"), accessor="number"),
        "buyer_name",
        Column("merchant", label=gettext_lazy("Merchant"), accessor="merchant.title"),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        Column("amount", label=gettext_lazy("Amount"), accessor=_amount),
        "status",
        "created_at",
    ]
    filterset_class = OrderFilterSet
    search_fields = ["buyer_name", "buyer_email", "item", "merchant__title"]
    ordering = ["-created_at"]

    def get_common_view_kwargs(self, **kwargs):
        none = dict.fromkeys(["add_url_name", "history_url_name", "usage_url_name"])
        return super().get_common_view_kwargs(
            **{
                **none,
                "delete_url_name": None,
                "queryset": Order.objects.select_related("merchant"),
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            # Named "edit" so that the list's links lead to the order page.
            path("<int:pk>/", order_detail, name="edit"),
        ]
