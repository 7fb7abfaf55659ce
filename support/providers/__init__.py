"""Payment providers: `demo` (offline, the default) and `stripe`; settings.PAYMENT_PROVIDER
chooses."""

from importlib import import_module

from django.conf import settings

from .base import PaymentProvider

PROVIDERS = {
    "demo": "support.providers.demo.DemoProvider",
    "stripe": "support.providers.stripe.StripeProvider",
}


def get_provider(name: str | None = None) -> PaymentProvider:
    path = PROVIDERS[name or settings.PAYMENT_PROVIDER]
    module, _, cls = path.rpartition(".")
    return getattr(import_module(module), cls)()
