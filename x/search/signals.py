"""Keep the Elasticsearch index in step with publishing (the database backend does this itself)."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from directory.models import MerchantPage
from pages.models import StoryPage

from . import backends, spelling


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
    # Story titles are in the "did you mean" vocabulary; merchants' words follow the map's
    # generation token, which directory renews on every merchant change.
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            spelling.stories_changed, sender=StoryPage, dispatch_uid=f"spelling-{id(signal)}"
        )
