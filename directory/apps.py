from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
