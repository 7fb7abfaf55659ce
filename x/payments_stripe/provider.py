"""Stripe: a PaymentIntent per payment attempt, paid in the browser with the Payment Element.

The intent is created here with the secret key; the browser gets only its client secret and
confirms it with Stripe.js, then comes back to the order page, which asks `fetch_state()`. Money
for a merchant with a connected Stripe account goes to that account (a destination charge), less
the platform's fee. Webhooks are verified against the raw body and only say "ask again".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import stripe
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from payments.models import Payment
from payments.providers import (
    NextStep,
    PaymentError,
    PaymentProvider,
    PaymentState,
    ProviderUnavailable,
    Webhook,
    WebhookError,
)
from payments.selectors import payment_refunded

from .models import PayoutAccount

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A payment page must not hang for Stripe's default 80 s: on the buyer's path (starting a
# payment, asking for its state, cancelling an abandoned attempt) each call waits at most
# settings.STRIPE_TIMEOUT_SECONDS and is tried twice, so a hanging Stripe answers in about
# 2 x STRIPE_TIMEOUT_SECONDS + 0.5 s, before a proxy gives up. Refunds (an editor in the admin,
# a late payment's refund) may wait longer and try more often. Retries are safe because every
# request that creates something carries an idempotency key.
CONNECT_TIMEOUT = 5
BUYER_RETRIES = 1
PATIENT_READ_TIMEOUT, PATIENT_RETRIES = 20, 2

# PaymentIntent statuses in the portal's words. "requires_payment_method" is also where an
# intent lands after a declined card: `fetch_state()` tells the two apart by its last error.
STATES = {
    "requires_payment_method": PaymentState.PENDING,
    "requires_confirmation": PaymentState.PENDING,
    "requires_action": PaymentState.PENDING,
    "processing": PaymentState.PROCESSING,
    "requires_capture": PaymentState.PENDING,
    "succeeded": PaymentState.SUCCEEDED,
    "canceled": PaymentState.CANCELLED,  # Stripe's spelling
}
# Events that concern a refund: its object (a charge or a refund) names the payment intent.
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}


def platform_fee(amount: int, basis_points: int) -> int:
    """The platform's share of `amount` cents, rounded half up to whole cents."""
    return (amount * basis_points + 5000) // 10000


def intent_params(
    payment: Payment,
    *,
    connected_account: str = "",
    fee_basis_points: int = 0,
    automatic_payment_methods: bool = True,
) -> dict[str, Any]:
    """Everything sent to create the PaymentIntent for `payment`, in one place so that each
    configuration can be checked exactly. No description and no buyer data: Stripe needs
    neither, and the metadata is enough to find the order from Stripe's dashboard."""
    params: dict[str, Any] = {
        "amount": payment.amount,
        "currency": payment.currency.lower(),
        "metadata": {"order": str(payment.order.reference), "payment": str(payment.pk)},
    }
    if automatic_payment_methods:
        params["automatic_payment_methods"] = {"enabled": True}  # wallets come with it
    else:
        params["payment_method_types"] = ["card"]
    if connected_account:
        params["transfer_data"] = {"destination": connected_account}
        fee = platform_fee(payment.amount, fee_basis_points)
        if fee > 0:
            params["application_fee_amount"] = fee
    return params


def new_http_client(read_timeout: float) -> stripe.HTTPClient:
    return stripe.RequestsClient(timeout=(min(CONNECT_TIMEOUT, read_timeout), read_timeout))


class StripeProvider(PaymentProvider):
    name = "stripe"
    verbose_name = "Stripe"
    supports_refunds = True
    supports_cancel = True

    def __init__(self) -> None:
        # A client of our own rather than stripe-python's global settings, so that the API base
        # (localstripe in tests) and the key come from the settings at the time of use.
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        # The buyer's client: bounded, few retries. The patient one: for refunds.
        self.client = stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,
            max_network_retries=BUYER_RETRIES,
            http_client=new_http_client(settings.STRIPE_TIMEOUT_SECONDS),
        )
        self.patient_client = stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,
            max_network_retries=PATIENT_RETRIES,
            http_client=new_http_client(max(PATIENT_READ_TIMEOUT, settings.STRIPE_TIMEOUT_SECONDS)),
        )

    # --- the interface ----------------------------------------------------------------------

    def start(self, payment: Payment, *, return_url: str) -> NextStep:
        order = payment.order
        account = PayoutAccount.objects.filter(merchant_id=order.merchant_id).first()
        params = intent_params(
            payment,
            connected_account=account.stripe_account_id if account else "",
            fee_basis_points=settings.PLATFORM_FEE_BASIS_POINTS,
            automatic_payment_methods=settings.STRIPE_AUTOMATIC_PAYMENT_METHODS,
        )
        # Kept as sent, not as configured now: the account or the fee may change before the
        # payment succeeds, and the ledger must book what Stripe actually does.
        payment.destination = params.get("transfer_data", {}).get("destination", "")
        payment.platform_fee = params.get("application_fee_amount", 0)
        intent = self._call(
            self.client.v1.payment_intents.create,
            params=params,
            options={"idempotency_key": payment.idempotency_key},
        )
        payment.reference = intent.id
        return NextStep(
            template="payments_stripe/stripe_payment.html",
            context={
                "payment": payment,
                "stripe_publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "stripe_js_url": settings.STRIPE_JS_URL,
                "client_secret": intent.client_secret,
                "return_url": return_url,
            },
        )

    def fetch_state(self, payment: Payment) -> str:
        if not payment.reference:
            return PaymentState.PENDING  # nothing was created at Stripe
        intent = self._call(self.client.v1.payment_intents.retrieve, payment.reference)
        if intent.amount != payment.amount or intent.currency != payment.currency.lower():
            # Only someone with the secret key can change an intent: never fulfil on that.
            logger.error("Stripe intent %s does not match payment %s", intent.id, payment.pk)
            raise PaymentError(_("The payment could not be processed. Please try again."))
        if intent.status == "requires_payment_method" and getattr(
            intent, "last_payment_error", None
        ):
            return PaymentState.FAILED
        return STATES.get(intent.status, PaymentState.PENDING)

    def cancel(self, payment: Payment) -> str:
        if self._call(self._cancel_intent, payment.reference) is None:
            return self.fetch_state(payment)
        return PaymentState.CANCELLED

    def refund(self, payment: Payment, amount: int) -> str:
        params: dict[str, Any] = {"payment_intent": payment.reference, "amount": amount}
        if payment.destination:
            # A destination charge's refund comes out of the platform's balance unless Stripe
            # is told to take the merchant's share back and return the platform's fee.
            params["reverse_transfer"] = True
            params["refund_application_fee"] = True
        refund = self._call(
            self.patient_client.v1.refunds.create,
            params=params,
            options={"idempotency_key": self._refund_key(payment, amount)},
        )
        return refund.id

    def refunds(self, payment: Payment) -> list[tuple[str, int]]:
        listed = self._call(
            self.patient_client.v1.refunds.list,
            params={"payment_intent": payment.reference, "limit": 100},
        )
        succeeded = [refund for refund in listed.data if refund.status == "succeeded"]
        return [(r.id, r.amount) for r in sorted(succeeded, key=lambda r: (r.created, r.id))]

    def parse_webhook(self, request: HttpRequest) -> Webhook:
        secret = settings.STRIPE_WEBHOOK_SECRET
        if not secret:
            # An empty secret would let anyone sign: refuse rather than "verify".
            raise WebhookError("The webhook is not configured.")
        signature = request.headers.get("Stripe-Signature")
        if not signature:
            raise WebhookError("The Stripe-Signature header is missing.")
        try:
            event = stripe.Webhook.construct_event(request.body, signature, secret)
        except stripe.SignatureVerificationError as error:
            raise WebhookError("The signature does not match the body.") from error
        except ValueError as error:
            raise WebhookError("The body is not a Stripe event.") from error
        subject = event.data.object
        reference = None
        if event.type.startswith("payment_intent."):
            if getattr(subject, "object", "") == "payment_intent":
                reference = subject.id
        elif event.type in REFUND_EVENTS:
            # A refund made in Stripe's dashboard: the intent's refunds are fetched and booked.
            reference = getattr(subject, "payment_intent", None) or None
        return Webhook(event=event.type, reference=reference)

    # --- helpers ------------------------------------------------------------------------------

    def _cancel_intent(self, reference: str) -> stripe.PaymentIntent | None:
        """Cancel the intent; None where Stripe refuses because it is too late (the buyer paid
        meanwhile, or the payment is processing)."""
        try:
            return self.client.v1.payment_intents.cancel(reference)
        except stripe.InvalidRequestError as error:
            logger.info("Stripe intent %s cannot be cancelled: %s", reference, error)
            return None

    @staticmethod
    def _refund_key(payment: Payment, amount: int) -> str:
        """Stable while the same refund is retried (nothing booked yet), different for the next
        refund of the same payment: the amount refunded so far is part of the key."""
        return f"portal-refund-{payment.pk}-{payment_refunded(payment)}-{amount}"

    @staticmethod
    def _call(method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call stripe-python and turn its errors into the portal's: a provider that cannot be
        reached leaves the order pending; anything else is a payment error with a plain
        message (details go to the log, not to the buyer)."""
        try:
            return method(*args, **kwargs)
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            logger.warning("Stripe unavailable: %s", error)
            raise ProviderUnavailable(
                _("Payment is not available right now. Please try again in a few minutes.")
            ) from error
        except stripe.CardError as error:
            raise PaymentError(
                _("The payment was declined. Please try another card or payment method.")
            ) from error
        except stripe.StripeError as error:
            logger.exception("Stripe refused a request")
            raise PaymentError(
                _("The payment could not be processed. Please try again.")
            ) from error
