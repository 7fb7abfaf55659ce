"""What a buyer receives by mail: the voucher with its PDF, a thank-you for a donation or for
backing a campaign, and the reminder before a voucher expires. Plain text, in the language the
buyer ordered in."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import codes
from .documents import balance_url, voucher_pdf
from .models import Order, Payment, Voucher
from .money import format_money


def _merchant_url(merchant) -> str:
    # None when the page is not routable (unpublished, outside any site): then leave it out.
    return merchant.get_full_url() or ""


def _send(to: str, subject: str, template: str, context: dict, attachments=()) -> None:
    body = render_to_string(f"support/emails/{template}", context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def in_buyers_language(function):
    """Render and send in the language the order was placed in (the site's for older orders),
    whether a webhook, the return URL, an editor or a nightly job sends it."""

    @functools.wraps(function)
    def wrapper(order_or_voucher, *args):
        order = getattr(order_or_voucher, "order", order_or_voucher)
        with translation.override(order.language or settings.LANGUAGE_CODE):
            return function(order_or_voucher, *args)

    return wrapper


@in_buyers_language
def send_order_confirmation(order: Order, code: str | None) -> None:
    """Called once per fulfilled order (services.fulfil); `code` only for voucher orders."""
    merchant = order.merchant
    context = {
        "order": order,
        "merchant": merchant,
        "merchant_url": _merchant_url(merchant),
        "amount": format_money(order.amount, order.currency),
    }
    if order.kind == Order.Kind.VOUCHER:
        if not code:
            raise ValueError(f"Voucher order {order.reference} confirmed without a code")
        voucher = order.voucher
        context.update(
            voucher=voucher,
            code=codes.printable(codes.normalise(code)),
            value=format_money(voucher.value, voucher.currency),
            valid_until=date_format(voucher.valid_until, "DATE_FORMAT"),
            balance_url=balance_url(voucher),
        )
        filename = f"gutschein-{merchant.slug}.pdf"
        attachments = [(filename, voucher_pdf(voucher, code), "application/pdf")]
        if order.recipient_email:
            _send(
                order.recipient_email,
                _("%(buyer)s gives you a voucher for %(merchant)s")
                % {"buyer": order.buyer_name, "merchant": merchant.title},
                "voucher_gift.txt",
                context,
                attachments=attachments,
            )
            context.pop("code")  # the buyer's confirmation carries no code: it is the gift's
            _send(
                order.buyer_email,
                _("Your voucher for %(merchant)s is on its way to %(email)s")
                % {"merchant": merchant.title, "email": order.recipient_email},
                "voucher_sent.txt",
                context,
            )
            return
        _send(
            order.buyer_email,
            _("Your voucher for %(merchant)s") % {"merchant": merchant.title},
            "voucher.txt",
            context,
            attachments=attachments,
        )
    elif order.kind == Order.Kind.CAMPAIGN:
        context["campaign"] = order.campaign
        _send(
            order.buyer_email,
            _("Thank you for supporting %(merchant)s") % {"merchant": merchant.title},
            "campaign.txt",
            context,
        )
    else:
        _send(
            order.buyer_email,
            _("Thank you for your donation to %(merchant)s") % {"merchant": merchant.title},
            "donation.txt",
            context,
        )


@in_buyers_language
def send_voucher_reminder(voucher: Voucher) -> None:
    """Before a voucher expires. Only a hash of the code is stored, so the mail names the
    code's last four characters to help the buyer find the voucher mail."""
    order = voucher.order
    valid_until = date_format(voucher.valid_until, "DATE_FORMAT")
    context = {
        "order": order,
        "voucher": voucher,
        "merchant": voucher.merchant,
        "merchant_url": _merchant_url(voucher.merchant),
        "balance": format_money(voucher.balance(), voucher.currency),
        "valid_until": valid_until,
        "balance_url": balance_url(voucher),
    }
    _send(
        order.buyer_email,
        _("Your voucher for %(merchant)s expires on %(date)s")
        % {"merchant": voucher.merchant.title, "date": valid_until},
        "voucher_reminder.txt",
        context,
    )


@in_buyers_language
def send_surplus_refund(payment: Payment) -> None:
    """A payment the order did not keep (paid twice, or too late) was refunded in full."""
    order = payment.order
    context = {
        "order": order,
        "merchant": order.merchant,
        "merchant_url": _merchant_url(order.merchant),
        "amount": format_money(payment.amount, payment.currency),
        "reference": str(order.reference)[:8],
    }
    _send(
        order.buyer_email,
        _("Your payment to %(merchant)s was refunded") % {"merchant": order.merchant.title},
        "surplus_refund.txt",
        context,
    )
