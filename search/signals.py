"""Keep the Elasticsearch index in step with publishing (the database backend does this itself).

The handlers only enqueue search.tasks.index_merchant: with the database task backend the
request writes a task row (in its own transaction) and the worker talks to Elasticsearch, with
retries; with the immediate backend (development, tests) the task runs at once, as before."""

from django.conf import settings
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from directory.models import MerchantPage
from directory.signals import merchants_imported
from pages.models import StoryPage

from . import spelling
from .tasks import index_merchant


def sync_index(sender, instance, **kwargs):
    if not settings.ELASTICSEARCH_URL:
        return  # the database backend keeps its own index: no task row for nothing
    index_merchant.enqueue(instance.pk)


def sync_imported(sender, page_ids, **kwargs):
    if settings.ELASTICSEARCH_URL:
        for page_id in page_ids:
            index_merchant.enqueue(page_id)


def connect():
    merchants_imported.connect(sync_imported, dispatch_uid="search-import")
    for signal, uid in (
        (page_published, "search-publish"),
        (page_unpublished, "search-unpublish"),
        (post_delete, "search-delete"),
    ):
        signal.connect(sync_index, sender=MerchantPage, dispatch_uid=uid)
    # Story titles are in the "did you mean" vocabulary; merchants' words follow the map's
    # generation token, which directory renews on every merchant change.
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            spelling.stories_changed, sender=StoryPage, dispatch_uid=f"spelling-{id(signal)}"
        )
