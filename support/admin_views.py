"""The admin side of support. Merchants redeem vouchers at the counter, see what came in and
moderate their supporter wall; editors see totals per city, merchant, campaign and partner
initiative (CSV too) and refund orders. Every figure is a sum over the ledger."""

from __future__ import annotations

import csv
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import services
from .models import LedgerEntry, Order, PayoutAccount, Voucher
from .money import EuroFormField, format_money, to_euros
from .providers.base import PaymentError

logger = logging.getLogger(__name__)

# --- merchants: who is asking -------------------------------------------------------------


def _own_page(request: HttpRequest):
    """The merchant page of the logged-in merchant; everyone else gets a 404, as in directory."""
    account = getattr(request.user, "merchant_account", None)
    if account is None:
        raise Http404
    return account.page


# --- merchants: redeeming at the counter --------------------------------------------------

# Failed lookups a user may make per window. Codes carry 100 random bits, so guessing is
# hopeless anyway; the limit keeps a stolen merchant login from being used as an oracle.
LOOKUP_LIMIT = getattr(settings, "SUPPORT_REDEEM_LOOKUP_LIMIT", 10)
LOOKUP_WINDOW = 15 * 60  # seconds
# How long a looked-up voucher stays open on the redeem page.
OPEN_VOUCHER_SECONDS = 15 * 60
SESSION_KEY = "support_redeem_voucher"


def _misses_key(user) -> str:
    return f"support:redeem-misses:{user.pk}"


def lookups_blocked(user) -> bool:
    return (cache.get(_misses_key(user)) or 0) >= LOOKUP_LIMIT


def _note_miss(user) -> None:
    key = _misses_key(user)
    cache.add(key, 0, timeout=LOOKUP_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_WINDOW)


def unknown_code_message() -> str:
    # One answer for unknown, malformed and other merchants' codes: nothing to probe.
    return _("No voucher of your business has this code. Please check it and try again.")


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Voucher code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the voucher; spaces and dashes do not matter."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "enterkeyhint": "search",
            }
        ),
    )


class RedeemForm(forms.Form):
    amount = EuroFormField(label=gettext_lazy("Amount in euros"), required=False, min_value=1)
    # The balance the merchant saw: a second tap or a second till must not spend twice.
    expected_balance = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _open_voucher(request: HttpRequest, page) -> Voucher | None:
    """The voucher looked up last by this session, if it is still fresh and the merchant's."""
    opened = request.session.get(SESSION_KEY)
    if not opened or time.time() - opened["at"] > OPEN_VOUCHER_SECONDS:
        return None
    return (
        Voucher.objects.filter(pk=opened["voucher"], merchant=page).select_related("order").first()
    )


def _open(request: HttpRequest, voucher: Voucher) -> None:
    request.session[SESSION_KEY] = {"voucher": voucher.pk, "at": time.time()}


@transaction.atomic
def redeem_checked(voucher: Voucher, page, amount: int | None, expected: int, user):
    """services.redeem, but only while the balance is still the one the merchant saw
    (amount None: all of it). The voucher's row lock is held until the booking is done."""
    locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
    balance = locked.balance()
    if balance != expected:
        raise services.RedemptionRefused(
            _("The balance has changed in the meantime: %(balance)s are left. Please check.")
            % {"balance": format_money(balance)}
        )
    return services.redeem(locked, page, balance if amount is None else amount, user)


def _voucher_context(voucher: Voucher) -> dict:
    today = timezone.localdate()
    return {
        "voucher": voucher,
        "balance": voucher.balance(),
        "expired": voucher.valid_until < today,
        "refunded": voucher.order.status == Order.Status.REFUNDED,
        "redemptions": voucher.ledger_entries.filter(kind=LedgerEntry.Kind.REDEMPTION)
        .select_related("user")
        .order_by("-created_at", "-pk"),
    }


def redeem(request: HttpRequest) -> HttpResponse:
    """Look up a code (POST only: a code is a bearer secret), then redeem all or part of it.
    Post/redirect/get throughout, so a reload never books twice."""
    page = _own_page(request)
    lookup_form, redeem_form, status = LookupForm(), None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "lookup":
            lookup_form = LookupForm(request.POST)
            if lookup_form.is_valid():
                if lookups_blocked(request.user):
                    lookup_form.add_error(
                        "code",
                        _("Too many unknown codes. Please wait a few minutes and try again."),
                    )
                else:
                    voucher = services.find_voucher(lookup_form.cleaned_data["code"])
                    if voucher is None or voucher.merchant_id != page.pk:
                        _note_miss(request.user)
                        lookup_form.add_error("code", unknown_code_message())
                    else:
                        _open(request, voucher)
                        return redirect("support_redeem")
            status = 400
        elif action in ("all", "amount"):
            voucher = _open_voucher(request, page)
            if voucher is None:
                messages.error(request, _("Please enter the voucher code again."))
                return redirect("support_redeem")
            redeem_form = RedeemForm(request.POST)
            if redeem_form.is_valid():
                amount = redeem_form.cleaned_data["amount"]
                if action == "amount" and amount is None:
                    redeem_form.add_error("amount", _("Please enter the amount to redeem."))
                else:
                    try:
                        entry = redeem_checked(
                            voucher,
                            page,
                            None if action == "all" else amount,
                            redeem_form.cleaned_data["expected_balance"],
                            request.user,
                        )
                    except services.RedemptionRefused as refusal:
                        redeem_form.add_error(None, str(refusal))
                    else:
                        _open(request, voucher)
                        messages.success(
                            request,
                            _("%(amount)s redeemed. %(balance)s are left on the voucher.")
                            % {
                                "amount": format_money(-entry.amount),
                                "balance": format_money(voucher.balance()),
                            },
                        )
                        return redirect("support_redeem")
            status = 400
        elif action == "close":
            request.session.pop(SESSION_KEY, None)
            return redirect("support_redeem")
        else:
            status = 400

    context = {"lookup_form": lookup_form, "page": page}
    voucher = _open_voucher(request, page)
    if voucher is not None:
        details = _voucher_context(voucher)
        if redeem_form is None:
            redeem_form = RedeemForm(initial={"expected_balance": details["balance"]})
        else:
            # Whatever happened, the next try compares against the balance shown now.
            redeem_form.data = redeem_form.data.copy()
            redeem_form.data["expected_balance"] = details["balance"]
        context.update(details, redeem_form=redeem_form)
    return render(request, "support/admin/redeem.html", context, status=status)


# --- merchants: what came in --------------------------------------------------------------

PAID_STATUSES = [Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED, Order.Status.REFUNDED]
WALL_STATUSES = [Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED]


def _sum(entries: QuerySet, **filters) -> int:
    return entries.filter(**filters).aggregate(total=Sum("amount"))["total"] or 0


def merchant_totals(page) -> dict:
    """The income page's and the dashboard's figures, all from the ledger."""
    entries = LedgerEntry.objects.filter(merchant=page)
    raised = entries.filter(kind__in=services.RAISED)
    kinds = {row["order__kind"]: row["total"] for row in _by(raised, "order__kind")}
    vouchers = Voucher.objects.filter(merchant=page).exclude(order__status=Order.Status.REFUNDED)
    return {
        "raised": services.raised(entries),
        "supporters": services.supporters(entries),
        "vouchers": kinds.get(Order.Kind.VOUCHER, 0),
        "donations": kinds.get(Order.Kind.DONATION, 0),
        "campaigns": kinds.get(Order.Kind.CAMPAIGN, 0),
        "payments": _sum(entries, kind=LedgerEntry.Kind.PAYMENT),
        "refunds": -_sum(entries, kind=LedgerEntry.Kind.REFUND),
        "fees": -_sum(entries, kind=LedgerEntry.Kind.FEE),
        "redeemed": -_sum(entries, kind=LedgerEntry.Kind.REDEMPTION),
        "payouts": -_sum(entries, kind=LedgerEntry.Kind.PAYOUT),
        # What the merchant still owes in goods: issued value less what was redeemed and what
        # partial refunds took back (fully refunded vouchers are left out above).
        "open_vouchers": (vouchers.aggregate(total=Sum("value"))["total"] or 0)
        + _sum(entries, kind=LedgerEntry.Kind.REDEMPTION, voucher__in=vouchers)
        - sum(
            voucher.refunded_value()
            for voucher in vouchers.filter(order__status=Order.Status.PARTIALLY_REFUNDED)
        ),
    }


def _by(entries: QuerySet, field: str) -> QuerySet:
    return entries.values(field).annotate(total=Sum("amount")).order_by(field)


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
    page = _own_page(request)
    orders = (
        Order.objects.filter(merchant=page, status__in=PAID_STATUSES)
        .exclude(paid_at=None)
        .order_by("-paid_at", "-pk")
    )
    movements = (
        LedgerEntry.objects.filter(merchant=page)
        .exclude(kind=LedgerEntry.Kind.PAYMENT)  # payments are the sales above
        .select_related("voucher", "order")
        .order_by("-created_at", "-pk")
    )
    wall = Order.objects.filter(merchant=page, status__in=WALL_STATUSES).exclude(wall="")
    return render(
        request,
        "support/admin/income.html",
        {
            "page": page,
            "totals": merchant_totals(page),
            "orders": paginate(request, orders, "orders"),
            "movements": paginate(request, movements, "movements"),
            "wall_pending": wall.filter(wall=Order.Wall.PENDING).order_by("paid_at", "pk"),
            "wall_done": wall.exclude(wall=Order.Wall.PENDING).order_by("-paid_at", "-pk")[:20],
        },
    )


def moderate_wall(request: HttpRequest, pk: int) -> HttpResponse:
    """Show or hide one supporter's name and message; only on the merchant's own orders."""
    page = _own_page(request)
    if request.method != "POST":
        return redirect("support_income")
    order = get_object_or_404(
        Order.objects.filter(merchant=page, status__in=WALL_STATUSES).exclude(wall=""), pk=pk
    )
    decision = {"show": Order.Wall.SHOWN, "hide": Order.Wall.HIDDEN}.get(request.POST.get("wall"))
    if decision is None:
        messages.error(request, _("Please choose show or hide."))
    else:
        Order.objects.filter(pk=order.pk).update(wall=decision)
        if decision == Order.Wall.SHOWN:
            messages.success(request, _("Shown on your supporter wall."))
        else:
            messages.success(request, _("Hidden from your supporter wall."))
    return redirect(reverse("support_income") + "#wall")


admin_urls = [
    path("support/redeem/", redeem, name="support_redeem"),
    path("support/income/", income, name="support_income"),
    path("support/income/wall/<int:pk>/", moderate_wall, name="support_wall"),
]


class SupportPanel(Component):
    """On the merchant's dashboard: what came in, and the way to the counter."""

    name = "support"
    order = 20
    template_name = "support/admin/support_panel.html"

    def __init__(self, page):
        self.page = page

    def get_context_data(self, parent_context=None):
        entries = LedgerEntry.objects.filter(merchant=self.page)
        return {
            "raised": services.raised(entries),
            "supporters": services.supporters(entries),
            "wall_pending": Order.objects.filter(
                merchant=self.page, status__in=WALL_STATUSES, wall=Order.Wall.PENDING
            ).count(),
            "redeem_url": reverse("support_redeem"),
            "income_url": reverse("support_income"),
        }


# --- editors: the report ------------------------------------------------------------------

REPORT_PERMISSION = "support.view_order"


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


def report_entries(date_from: date | None = None, date_to: date | None = None) -> QuerySet:
    entries = LedgerEntry.objects.all()
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries


# The same definitions as services.raised and services.supporters, as aggregates per group.
FIGURES = {
    "raised": Sum("amount", filter=Q(kind__in=services.RAISED), default=0),
    "supporters": Count("pk", filter=services.SUPPORTER),
    "refunded": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.REFUND), default=0),
    "redeemed": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.REDEMPTION), default=0),
    "paid_out": Sum(-F("amount"), filter=Q(kind=LedgerEntry.Kind.PAYOUT), default=0),
}


@dataclass
class ReportSection:
    key: str
    title: str
    rows: list[dict]  # {"name": ..., "detail": ..., figures...}


def report_sections(entries: QuerySet) -> list[ReportSection]:
    def grouped(key_field: str, name_field: str, detail_field: str | None = None) -> list[dict]:
        fields = [key_field, name_field] + ([detail_field] if detail_field else [])
        rows = (
            entries.exclude(**{f"{key_field}__isnull": True})
            .values(*fields)
            .annotate(**FIGURES)
            .order_by(name_field, key_field)
        )
        return [
            {
                "name": row[name_field],
                "detail": row[detail_field] if detail_field else "",
                **{figure: row[figure] for figure in FIGURES},
            }
            for row in rows
        ]

    return [
        ReportSection("total", _("All cities"), [{"name": _("Total"), **_overall(entries)}]),
        ReportSection("city", _("Per city"), grouped("site", "site__site_name", "site__hostname")),
        ReportSection(
            "merchant", _("Per merchant"), grouped("merchant", "merchant__title", "site__site_name")
        ),
        ReportSection(
            "campaign", _("Per campaign"), grouped("campaign", "campaign__title", "merchant__title")
        ),
        # A merchant in two initiatives counts for both: these rows may add up to more.
        ReportSection(
            "initiative",
            _("Per partner initiative"),
            grouped("merchant__initiatives", "merchant__initiatives__name"),
        ),
    ]


def _overall(entries: QuerySet) -> dict:
    figures = entries.aggregate(**FIGURES)
    return {"detail": "", **figures}


def _report_filter(request: HttpRequest) -> tuple[DateRangeForm, QuerySet]:
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    form = DateRangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, report_entries(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
    return form, report_entries()


def report(request: HttpRequest) -> HttpResponse:
    form, entries = _report_filter(request)
    return render(
        request,
        "support/admin/report.html",
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


# --- editors: orders and refunds ----------------------------------------------------------


class OrderFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Order.Status.choices)
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Order.Kind.choices)
    paid_from = django_filters.DateFilter(
        label=gettext_lazy("Paid from"), field_name="paid_at", lookup_expr="date__gte"
    )
    paid_to = django_filters.DateFilter(
        label=gettext_lazy("Paid until"), field_name="paid_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Order
        fields = ["status", "kind", "site"]


class RefundForm(forms.Form):
    amount = EuroFormField(
        label=gettext_lazy("Amount to refund in euros"), required=False, min_value=1
    )
    # What was refunded when the editor looked: a second click must not refund twice.
    refunded_before = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


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


@transaction.atomic
def refund_checked(order: Order, amount: int | None, refunded_before: int, user):
    """services.refund (amount None: all that is left), but only while nobody else refunded."""
    locked = Order.objects.select_for_update(no_key=True).get(pk=order.pk)  # as in refund()
    refunded = services.refunded_amount(locked)
    if refunded != refunded_before:
        raise services.OrderRefused(
            _("Meanwhile %(amount)s of this order were refunded. Please check.")
            % {"amount": format_money(refunded)}
        )
    if amount is None:
        voucher = Voucher.objects.select_for_update().filter(order=locked).first()
        amount = services.refundable(locked, voucher)
    return services.refund(locked, amount, user)


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order with its payments and ledger; editors who may change orders refund here."""
    if not request.user.has_perm("support.view_order"):
        raise PermissionDenied
    order = get_object_or_404(Order.objects.select_related("merchant", "site"), pk=pk)
    may_change = request.user.has_perm("support.change_order")
    voucher = Voucher.objects.filter(order=order).first()
    action = request.POST.get("action")
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = RefundForm(request.POST if action in ("all", "amount") else None)
    reissue_form = ReissueForm(
        request.POST if action == "reissue" else None, initial={"email": order.voucher_email}
    )
    may_reissue = may_change and voucher is not None and order.is_paid
    if action == "reissue" and not may_reissue:
        reissue_form.add_error(None, _("This order has no voucher to send again."))
    elif action == "reissue" and reissue_form.is_valid():
        email = reissue_form.cleaned_data["email"]
        try:
            services.reissue_voucher(voucher, email)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the reissued voucher of order %s", order.reference)
            reissue_form.add_error(
                None, _("The mail could not be sent. Nobody knows the new code: please try again.")
            )
        else:
            messages.success(
                request, _("A new voucher code was sent to %(email)s.") % {"email": email}
            )
            return redirect("orders:edit", pk=order.pk)
    if form.is_bound:
        if form.is_valid():
            amount = None if request.POST.get("action") == "all" else form.cleaned_data["amount"]
            if request.POST.get("action") != "all" and amount is None:
                form.add_error("amount", _("Please enter the amount to refund."))
            else:
                try:
                    entry = refund_checked(
                        order, amount, form.cleaned_data["refunded_before"], request.user
                    )
                except (services.OrderRefused, PaymentError) as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        _("%(amount)s refunded.") % {"amount": format_money(-entry.amount)},
                    )
                    return redirect("orders:edit", pk=order.pk)
    refunded = services.refunded_amount(order)
    return render(
        request,
        "support/admin/order_detail.html",
        {
            "order": order,
            "title": capfirst(Order._meta.verbose_name),
            "payments": order.payments.order_by("created_at"),
            "entries": order.ledger_entries.select_related("user", "payment").order_by(
                "created_at", "pk"
            ),
            "voucher": voucher,
            "refunded": refunded,
            "left": services.refundable(order, voucher),
            "may_refund": may_change and order.is_paid,
            "may_reissue": may_reissue,
            "form": form,
            "reissue_form": reissue_form,
            "succeeded": services.kept_payment(order),
        },
        status=400 if form.errors or reissue_form.errors else 200,
    )


def _amount(order: Order) -> str:
    return format_money(order.amount, order.currency)


class OrderViewSet(ModelViewSet):
    """A filtered list of orders whose rows open the order page: nothing to add or delete."""

    model = Order
    name = "orders"
    icon = "list-ul"
    menu_label = gettext_lazy("Orders")
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "buyer_name",
        Column("merchant", label=gettext_lazy("Merchant"), accessor="merchant.title"),
        "kind",
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


# --- editors: where merchants are paid out ------------------------------------------------


class PayoutAccountViewSet(ModelViewSet):
    """Editors link a merchant to their connected Stripe account. Only the model's own
    permissions open it (Moderators by default): merchants never get them, since whoever can
    change the account can redirect the merchant's money."""

    model = PayoutAccount
    name = "payout_accounts"
    icon = "link"
    menu_label = gettext_lazy("Payout accounts")
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["merchant", "stripe_account_id"]
    list_display = [
        Column("merchant", label=gettext_lazy("Merchant"), accessor="merchant.title"),
        "stripe_account_id",
        "created_at",
    ]
    search_fields = ["merchant__title", "stripe_account_id"]
    ordering = ["merchant__title"]

    def get_common_view_kwargs(self, **kwargs):
        queryset = PayoutAccount.objects.select_related("merchant")
        return super().get_common_view_kwargs(**{"queryset": queryset, **kwargs})


class SupportViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Support")
    menu_icon = "tag"
    menu_order = 195
    items = (OrderViewSet, ReportViewSet, PayoutAccountViewSet)
