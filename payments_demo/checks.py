"""`manage.py check --deploy` warns while the demo provider may run: its payments move no money,
so a deployment with it allowed hands out vouchers for nothing."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_payments_allowed(app_configs, **kwargs):
    if not getattr(settings, "PAYMENT_DEMO_ALLOWED", False):
        return []
    return [
        Warning(
            "The demo payment provider is allowed (PAYMENT_DEMO_ALLOWED): its payments move "
            "no money, and whatever they buy is delivered.",
            hint="Unset PAYMENT_DEMO_ALLOWED and configure a real provider (PAYMENT_PROVIDER, "
            "STRIPE_*), unless this is a local trial such as `make production`.",
            id="payments_demo.W001",
        )
    ]
