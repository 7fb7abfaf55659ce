from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = _("Support")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import contributions, kinds, onboarding, panels, signals  # noqa: F401 - contributions registers

        kinds.register()
        onboarding.register()
        signals.connect()
        panels.add_offers_tab()
