"""Mail to buyers: the helpers every seller's mails use (in the buyer's language, plain text),
and the money core's own mail: a payment the order did not keep was refunded."""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.urls import page_url
from pages.mails import sender

from .models import Payment
from .money import format_money

logger = logging.getLogger(__name__)


def merchant_url(merchant) -> str:
    # From the configured base URL (core/urls.py); "" when the page is not routable
    # (unpublished, outside any site): then the mail leaves it out.
    return page_url(merchant)


def send(to: str, subject: str, template: str, context: dict, attachments=(), *, site) -> None:
    """A mail of the city `site` (a Wagtail Site): sent in its portal's name."""
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, from_email=sender(site), to=[to])
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def in_buyers_language(function):
    """Render and send in the language the order was placed in (the site's for older orders),
    whether a webhook, the return URL, an editor or a nightly job sends it. The first argument
    is an order or anything with an `order`."""

    @functools.wraps(function)
    def wrapper(order_or_item, *args):
        order = getattr(order_or_item, "order", order_or_item)
        with translation.override(order.language or settings.LANGUAGE_CODE):
            return function(order_or_item, *args)

    return wrapper


@in_buyers_language
def surplus_refund_mail(payment: Payment) -> None:
    order = payment.order
    send(
        order.buyer_email,
        _("Your payment to %(merchant)s was refunded") % {"merchant": order.merchant.title},
        "payments/emails/surplus_refund.txt",
        {
            "order": order,
            "merchant": order.merchant,
            "merchant_url": merchant_url(order.merchant),
            "amount": format_money(payment.amount, payment.currency),
            "reference": order.number,
        },
        site=order.site,
    )


def send_surplus_refund(payment: Payment) -> None:
    """After the refund is committed: a mail that fails must not undo it."""
    try:
        surplus_refund_mail(payment)
    except Exception:
        logger.exception("Could not tell the buyer of order %s of a refund", payment.order_id)
