"""On the editors' order page (payments' admin): the support details of an order, its voucher,
and sending a lost voucher again with a new code."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from core.cities import sites_for_user
from payments.admin.orders import CHANGE_PERMISSION, VIEW_PERMISSION
from payments.models import Order

from .. import services
from ..models import SupportOrder, Voucher


class ReissueForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Send to"),
        help_text=gettext_lazy(
            "Where the voucher went (the recipient's address for a gift), or a corrected one."
        ),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("The code sent before stops working; the balance stays."),
    )


def _may_reissue(user, order: Order, voucher: Voucher | None) -> bool:
    return user.has_perm(CHANGE_PERMISSION) and voucher is not None and order.is_paid


class SupportOrderPanel(Component):
    """The recipient, the voucher, and the form to send it again."""

    template_name = "support/admin/order_panel.html"

    def __init__(self, request: HttpRequest, order: Order, details: SupportOrder, form=None):
        self.order, self.details = order, details
        self.voucher = Voucher.objects.filter(order=order).first()
        self.may_reissue = _may_reissue(request.user, order, self.voucher)
        self.form = form or ReissueForm(initial={"email": details.voucher_email})

    def get_context_data(self, parent_context=None):
        return {
            "order": self.order,
            "details": self.details,
            "voucher": self.voucher,
            "may_reissue": self.may_reissue,
            "reissue_form": self.form,
            "reissue_url": reverse("support_reissue", args=[self.order.pk]),
            "merchant_csv_url": reverse(
                "support_merchant_income_csv", args=[self.order.merchant_id]
            ),
        }


def order_panel(request: HttpRequest, order: Order) -> SupportOrderPanel | None:
    """The `payments_order_panels` hook: only orders support placed get the panel."""
    details = SupportOrder.objects.filter(order=order).first()
    return SupportOrderPanel(request, order, details) if details else None


def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a voucher again with a new code (POST); errors are shown on a page of their own."""
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    order = get_object_or_404(Order.objects.filter(site__in=sites_for_user(request.user)), pk=pk)
    details = get_object_or_404(SupportOrder, order=order)
    if request.method != "POST":
        return redirect("orders:edit", pk=order.pk)
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    form = ReissueForm(request.POST)
    voucher = Voucher.objects.filter(order=order).first()
    if not _may_reissue(request.user, order, voucher):
        form.add_error(None, _("This order has no voucher to send again."))
    elif form.is_valid():
        email = form.cleaned_data["email"]
        services.voucher_reissue(voucher=voucher, email=email, user=request.user)
        messages.success(request, _("A new voucher code was sent to %(email)s.") % {"email": email})
        return redirect("orders:edit", pk=order.pk)
    panel = SupportOrderPanel(request, order, details, form=form)
    return render(
        request,
        "support/admin/reissue.html",
        {"order": order, "panel": panel, "title": _("Send the voucher again")},
        status=400,
    )
