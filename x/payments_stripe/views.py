"""Stripe's webhook: a signed nudge to ask Stripe again how a payment stands.

The event's content is never trusted: after checking the signature on the raw body, the view
looks up the payment and lets payments.services.payment_sync fetch the intent from Stripe, and
refunds_sync its refunds (those made in Stripe's dashboard get booked too). Any answer
other than 2xx makes Stripe retry, so a provider that cannot be reached answers 503.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import services
from payments.models import Payment
from payments.providers import PaymentError, ProviderUnavailable, WebhookError

from .provider import StripeProvider

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send a CSRF token; the signature takes its place
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    provider = StripeProvider()
    try:
        webhook = provider.parse_webhook(request)
    except WebhookError as error:
        logger.warning("Rejected a Stripe webhook: %s", error)
        return JsonResponse({"error": "invalid_webhook", "detail": str(error)}, status=400)
    if webhook.reference is None:
        return JsonResponse({"status": "ignored"})
    payment = Payment.objects.filter(provider=provider.name, reference=webhook.reference).first()
    if payment is None:
        # Another system on the same Stripe account, or an intent the portal never saved.
        logger.info("Stripe webhook for unknown payment intent %s", webhook.reference)
        return JsonResponse({"status": "unknown_payment"})
    try:
        order = services.payment_sync(payment=payment)
        if services.refunds_sync(payment=Payment.objects.get(pk=payment.pk)):
            order.refresh_from_db()
    except ProviderUnavailable as error:
        return JsonResponse({"error": "provider_unavailable", "detail": str(error)}, status=503)
    except PaymentError as error:
        logger.error("Stripe webhook for payment %s could not be processed", payment.pk)
        return JsonResponse({"error": "payment_error", "detail": str(error)}, status=500)
    # In the order's log, once acted on: which nudge from Stripe came after which state change.
    services.log_action(order, "stripe.webhook", event=webhook.event, payment=payment.pk)
    return JsonResponse({"status": order.status})
