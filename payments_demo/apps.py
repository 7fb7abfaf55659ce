from django.apps import AppConfig


class DemoPaymentsConfig(AppConfig):
    """The offline demo payment provider: the default where no Stripe keys are set."""

    name = "payments_demo"
    label = "payments_demo"
    verbose_name = "Demo payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from payments.providers import register_provider

        from . import checks  # noqa: F401 - registers the deploy check
        from .provider import DemoProvider

        register_provider(DemoProvider)
