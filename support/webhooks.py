"""Stripe's webhook (placeholder until the stripe provider lands)."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def stripe_webhook(request):
    return JsonResponse({"error": "not_configured", "detail": "Stripe is not set up."}, status=400)
