from django.apps import AppConfig


def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    from core import cache_headers

    if isinstance(instance, Page):
        cache_headers.invalidate()


class PagesConfig(AppConfig):
    name = "pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Pages cached by the server (core/cache_headers.py, PAGE_CACHE_SERVER) go stale when any
        # page is published, unpublished, moved or deleted: menus and lists show other pages.
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core import cache_headers

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(cache_headers.invalidate, dispatch_uid=f"page-cache-{id(signal)}")
        post_delete.connect(_page_deleted, dispatch_uid="page-cache-delete")
