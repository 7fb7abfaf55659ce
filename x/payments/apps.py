from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """The money core: orders, payments, refunds and the ledger, knowing nothing of what is
    sold. Sellers register their product kinds and providers register themselves
    (payments.registry, payments.providers)."""

    name = "payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"
