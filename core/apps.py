from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from wagtail.models import Site

        from .hosts import forget_site_hosts

        post_save.connect(forget_site_hosts, sender=Site, dispatch_uid="core-site-hosts-save")
        post_delete.connect(forget_site_hosts, sender=Site, dispatch_uid="core-site-hosts-delete")
