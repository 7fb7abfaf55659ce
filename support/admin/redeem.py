"""The merchant's counter: look up a voucher by its code and redeem all or part of it."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.ratelimit import count_attempt
from payments.models import Order
from payments.money import EuroFormField, format_money

from .. import selectors, services
from ..models import Voucher
from .merchant import own_page

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
    count_attempt(_misses_key(user), window=LOOKUP_WINDOW)


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
    # "Redeem all" and a storno are booked only from the confirmation page (a second POST with
    # this field): one tap on the wrong button books nothing, with or without JavaScript.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StornoForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


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


def _voucher_context(voucher: Voucher) -> dict:
    today = timezone.localdate()
    balance, refunded_value = voucher.balance(), voucher.refunded_value()
    redemptions = list(
        voucher.redemptions.select_related("user", "reverses").order_by("-created_at", "-pk")
    )
    for entry in redemptions:
        entry.storno_possible = services.storno_possible(entry)
    return {
        "voucher": voucher,
        "balance": balance,
        "expired": voucher.valid_until < today,
        # Refunded in full, or what was left of it refunded: either way nothing to redeem, and
        # the counter must say why ("refunded", not "redeemed in full").
        "refunded": voucher.order.status == Order.Status.REFUNDED
        or (refunded_value > 0 and balance == 0),
        "refunded_value": refunded_value,
        "redemptions": redemptions,
        "storno_minutes": settings.SUPPORT_REDEMPTION_STORNO_MINUTES,
    }


def _confirm(request: HttpRequest, page, voucher: Voucher, **context) -> HttpResponse:
    """The second step of a money action: what will be booked, and a button that books it."""
    return render(
        request,
        "support/admin/redeem_confirm.html",
        {"page": page, **_voucher_context(voucher), **context},
    )


def _redeem(request: HttpRequest, page, voucher: Voucher, action: str):
    """Book a redemption; returns a response, or the bound form with its errors."""
    redeem_form = RedeemForm(request.POST)
    if not redeem_form.is_valid():
        return redeem_form
    data = redeem_form.cleaned_data
    amount = data["amount"]
    if action == "amount" and amount is None:
        redeem_form.add_error("amount", _("Please enter the amount to redeem."))
        return redeem_form
    if action == "all" and not data["confirm"]:
        return _confirm(request, page, voucher, action="all", expected=data["expected_balance"])
    try:
        entry = services.voucher_redeem_checked(
            voucher=voucher,
            merchant=page,
            amount=None if action == "all" else amount,
            expected=data["expected_balance"],
            user=request.user,
        )
    except services.RedemptionRefused as refusal:
        redeem_form.add_error(None, str(refusal))
        return redeem_form
    _open(request, voucher)
    messages.success(
        request,
        _("%(amount)s redeemed. %(balance)s are left on the voucher.")
        % {"amount": format_money(-entry.amount), "balance": format_money(voucher.balance())},
    )
    return redirect("support_redeem")


def _storno(request: HttpRequest, page, voucher: Voucher):
    """Take a redemption back (after a confirmation); returns a response or an error."""
    form = StornoForm(request.POST)
    if not form.is_valid():
        return _("This redemption cannot be taken back.")
    entry = voucher.redemptions.filter(pk=form.cleaned_data["entry"], amount__lt=0).first()
    if entry is None:
        return _("This redemption cannot be taken back.")
    if not form.cleaned_data["confirm"]:
        if not services.storno_possible(entry):
            return _("This redemption cannot be taken back (any more).")
        return _confirm(request, page, voucher, action="storno", entry=entry, amount=-entry.amount)
    try:
        storno = services.voucher_redemption_reverse(
            voucher=voucher, merchant=page, entry_id=entry.pk, user=request.user
        )
    except services.RedemptionRefused as refusal:
        return str(refusal)
    _open(request, voucher)
    messages.success(
        request,
        _("Redemption of %(amount)s taken back. %(balance)s are on the voucher again.")
        % {"amount": format_money(storno.amount), "balance": format_money(voucher.balance())},
    )
    return redirect("support_redeem")


def redeem(request: HttpRequest) -> HttpResponse:
    """Look up a code (POST only: a code is a bearer secret), then redeem all or part of it.
    Post/redirect/get throughout, so a reload never books twice."""
    page = own_page(request)
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
                    voucher = selectors.voucher_by_code(lookup_form.cleaned_data["code"])
                    if voucher is None or voucher.merchant_id != page.pk:
                        _note_miss(request.user)
                        lookup_form.add_error("code", unknown_code_message())
                    else:
                        _open(request, voucher)
                        return redirect("support_redeem")
            status = 400
        elif action in ("all", "amount", "storno"):
            voucher = _open_voucher(request, page)
            if voucher is None:
                messages.error(request, _("Please enter the voucher code again."))
                return redirect("support_redeem")
            if action == "storno":
                outcome = _storno(request, page, voucher)
                if isinstance(outcome, str):  # refused: the counter says why
                    redeem_form = RedeemForm({"expected_balance": 0})
                    redeem_form.is_valid()
                    redeem_form.add_error(None, outcome)
                    outcome = redeem_form
            else:
                outcome = _redeem(request, page, voucher, action)
            if isinstance(outcome, HttpResponse):
                return outcome
            redeem_form = outcome
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
            redeem_form.data.pop("confirm", None)
        context.update(details, redeem_form=redeem_form)
    return render(request, "support/admin/redeem.html", context, status=status)
