"""Keep the Elasticsearch index in step with publishing (the database backend does this itself)."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from directory.models import MerchantPage

from . import backends


def index_published(sender, instance, **kwargs):
    backends.current().index_page(instance)


def remove_unpublished(sender, instance, **kwargs):
    backends.current().remove_page(instance.pk)


def connect():
    page_published.connect(index_published, sender=MerchantPage, dispatch_uid="search-publish")
    page_unpublished.connect(
        remove_unpublished, sender=MerchantPage, dispatch_uid="search-unpublish"
    )
    post_delete.connect(remove_unpublished, sender=MerchantPage, dispatch_uid="search-delete")
