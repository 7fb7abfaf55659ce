"""What a buyer receives by mail: the voucher with its PDF, a thank-you for a donation or for
backing a campaign, and the reminder before a voucher expires. Plain text, in the language the
buyer ordered in."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from payments.mails import in_buyers_language, merchant_url
from payments.mails import send as send_mail
from payments.models import Order
from payments.money import format_money

from . import codes
from .documents import balance_url, voucher_pdf
from .models import Voucher


def _send(to: str, subject: str, template: str, context: dict, attachments=()) -> None:
    # Every mail here is about an order: it goes out in the name of the city it was placed in.
    site = context["order"].site
    send_mail(to, subject, f"support/emails/{template}", context, attachments, site=site)


@in_buyers_language
def send_order_confirmation(order: Order, code: str | None) -> None:
    """Called once per fulfilled order (kinds.py); `code` only for voucher orders."""
    merchant, details = order.merchant, order.support
    context = {
        "order": order,
        "details": details,
        "merchant": merchant,
        "merchant_url": merchant_url(merchant),
        "amount": format_money(order.amount, order.currency),
    }
    if order.kind == "voucher":
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
        if details.recipient_email:
            _send(
                details.recipient_email,
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
                % {"merchant": merchant.title, "email": details.recipient_email},
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
    elif order.kind == "campaign":
        context["campaign"] = details.campaign
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
        "merchant_url": merchant_url(voucher.merchant),
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
