"""The editors' report: every figure is a selector over the ledger, per city, merchant,
partner initiative and whatever groupings sellers registered (payments.registry), as a page
and as CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from core.cities import sites_for_user

from .. import selectors
from ..money import to_euros
from ..registry import report_groups
from .orders import VIEW_PERMISSION

REPORT_PERMISSION = VIEW_PERMISSION


class DateRangeForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return data


@dataclass
class ReportSection:
    key: str
    title: str
    rows: list[dict]  # {"name": ..., "detail": ..., figures...}


def report_sections(entries: QuerySet) -> list[ReportSection]:
    grouped = selectors.grouped_figures
    sections = [
        ReportSection(
            "total",
            _("All cities"),
            [{"name": _("Total"), "detail": "", **selectors.figures(entries)}],
        ),
        ReportSection(
            "city", _("Per city"), grouped(entries, "site", "site__site_name", "site__hostname")
        ),
        ReportSection(
            "merchant",
            _("Per merchant"),
            grouped(entries, "merchant", "merchant__title", "site__site_name"),
        ),
    ]
    sections += [
        ReportSection(
            group.key,
            str(group.title),
            grouped(entries, group.key_field, group.name_field, group.detail_field),
        )
        for group in report_groups()
    ]
    # A merchant in two initiatives counts for both: these rows may add up to more.
    sections.append(
        ReportSection(
            "initiative",
            _("Per partner initiative"),
            grouped(entries, "merchant__initiatives", "merchant__initiatives__name"),
        )
    )
    return sections


def _report_filter(request: HttpRequest) -> tuple[DateRangeForm, QuerySet]:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    form = DateRangeForm(request.GET or None)
    sites = sites_for_user(request.user)  # an editor's report holds their own cities only
    if form.is_bound and form.is_valid():
        dates = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        return form, selectors.report_entries(*dates, sites=sites)
    return form, selectors.report_entries(sites=sites)


def report(request: HttpRequest) -> HttpResponse:
    form, entries = _report_filter(request)
    return render(
        request,
        "payments/admin/report.html",
        {
            "form": form,
            "sections": report_sections(entries),
            "csv_query": request.GET.urlencode(),
        },
    )


def euros(cents: int) -> str:
    """12345 → '123,45': German Excel reads it as a number."""
    return str(to_euros(cents)).replace(".", ",")


def _cell(text) -> str:
    # A name starting with = + - @ would be run as a formula by spreadsheet programs.
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(request: HttpRequest) -> HttpResponse:
    form, entries = _report_filter(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = "-".join(
        str(form.cleaned_data.get(field) or "")
        for field in ("date_from", "date_to")
        if form.is_bound and form.is_valid()
    )
    filename = f"unterstuetzung{'-' + period if period.strip('-') else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the BOM tells Excel that this is UTF-8
    # Semicolons, as Excel expects them where the comma is the decimal mark.
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Section"),
            _("Name"),
            _("Detail"),
            _("Raised (EUR, decimal comma)"),
            _("Supporters"),
            _("Refunded (EUR, decimal comma)"),
            _("Redeemed (EUR, decimal comma)"),
            _("Paid out (EUR, decimal comma)"),
        ]
    )
    for section in report_sections(entries):
        for row in section.rows:
            writer.writerow(
                [
                    section.title,
                    _cell(row["name"]),
                    _cell(row["detail"]),
                    euros(row["raised"]),
                    row["supporters"],
                    euros(row["refunded"]),
                    euros(row["redeemed"]),
                    euros(row["paid_out"]),
                ]
            )
    return response


class PermissionMenuItem(MenuItem):
    permission = REPORT_PERMISSION

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class ReportViewSet(ViewSet):
    name = "support-report"
    icon = "table"
    menu_label = gettext_lazy("Report")
    menu_item_class = PermissionMenuItem

    def get_urlpatterns(self):
        return [
            path("", report, name="index"),
            path("csv/", report_csv, name="csv"),
        ]
