from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import indexing
        from core.csp import register_sources

        from . import csp, signals
        from .models import MerchantPage

        signals.connect()
        indexing.connect(MerchantPage)
        register_sources(csp.tile_sources)
