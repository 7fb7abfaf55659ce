"""The merchant's figures as a CSV file: every ledger entry of their own business (payments,
fees, refunds, payouts, redemptions and their stornos), for their bookkeeping. A merchant gets
only their own; editors get any merchant's page they may change (their city's)."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from directory.models import MerchantPage
from payments import selectors as money
from payments.admin.report import _cell, euros

from .merchant import own_page


def _kind(entry) -> str:
    if entry.reverses_id:
        return _("Storno of a redemption")
    if entry.payment_id and entry.payment.surplus:
        return f"{entry.get_kind_display()} ({_('refunded as surplus')})"
    return entry.get_kind_display()


def write_ledger(response: HttpResponse, page) -> None:
    response.write("\ufeff")  # the BOM tells Excel that this is UTF-8
    # Semicolons, as Excel expects them where the comma is the decimal mark.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("Amount (EUR, decimal comma)"),
            _("Currency"),
            _("Order number"),
            _("Item"),
            _("Voucher"),
            _("Reverses entry"),
            _("Entry"),
        ]
    )
    for entry in money.merchant_ledger(page):
        order = entry.order
        voucher = getattr(order, "voucher", None) if order else None
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%d.%m.%Y %H:%M"),
                _kind(entry),
                euros(entry.amount),
                entry.currency,
                order.number if order else "",
                _cell(order.item) if order else "",
                f"…{voucher.code_hint}" if voucher and entry.kind == "redemption" else "",
                entry.reverses_id or "",
                entry.pk,
            ]
        )


def _csv(page) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(page.title) or str(page.pk)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="buchungen-{name}-{stamp}.csv"'
    write_ledger(response, page)
    return response


def own_income_csv(request: HttpRequest) -> HttpResponse:
    """The logged-in merchant's own ledger."""
    return _csv(own_page(request))


def merchant_income_csv(request: HttpRequest, page_id: int) -> HttpResponse:
    """One merchant's ledger, for whoever may change that merchant's page: the merchant
    themselves, or an editor of its city. Anyone else gets a 403, nothing of the page."""
    if page_id > 2**63 - 1:  # beyond the database's integers: no such page
        raise Http404
    page = get_object_or_404(MerchantPage, pk=page_id)
    account = getattr(request.user, "merchant_account", None)
    own = account is not None and account.page_id == page.pk
    if not own and not PagePermissionPolicy().user_has_permission_for_instance(
        request.user, "change", page
    ):
        raise PermissionDenied
    return _csv(page)
