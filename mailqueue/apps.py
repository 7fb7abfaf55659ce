from django.apps import AppConfig


class MailqueueConfig(AppConfig):
    name = "mailqueue"
    verbose_name = "E-Mails"
    default_auto_field = "django.db.models.BigAutoField"
