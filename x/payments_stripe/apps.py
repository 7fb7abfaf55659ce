from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StripePaymentsConfig(AppConfig):
    """Stripe as a payment provider: PaymentIntents, the Payment Element, destination charges
    to merchants' connected accounts, signed webhooks."""

    name = "payments_stripe"
    label = "payments_stripe"
    verbose_name = _("Stripe payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from payments.providers import register_provider

        from .provider import StripeProvider

        register_provider(StripeProvider)
