"""Rebuild the Elasticsearch merchant index from the database, with a progress bar."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from elasticsearch.helpers import streaming_bulk
from tqdm import tqdm

from directory.models import MerchantPage
from search import backends, elastic

BATCH = 500


def index_actions(merchants):
    """One bulk "index" action per live merchant, with its city's tree path for scoping."""
    for page in merchants.iterator(chunk_size=BATCH):
        site_path = page.path[: 2 * MerchantPage.steplen]
        yield elastic.MerchantDocument.from_page(page, site_path).to_dict(include_meta=True)


class Command(BaseCommand):
    help = "Recreate the Elasticsearch merchant index (needs ELASTICSEARCH_URL)."

    def handle(self, *args, **options):
        if not settings.ELASTICSEARCH_URL:
            raise CommandError(
                "ELASTICSEARCH_URL is not set: the database backend is in use, and it keeps "
                "its index up to date by itself (rebuild it with 'manage.py update_index')."
            )
        connection = backends.current().connection
        merchant_index = elastic.index()
        merchant_index.delete(using=connection, ignore_unavailable=True)
        merchant_index.create(using=connection)
        merchants = (
            MerchantPage.objects.live()
            .select_related("category", "district")
            .prefetch_related("initiatives", "tagged_items__tag")
        )
        total = merchants.count()
        with tqdm(total=total, unit="merchants", disable=options["verbosity"] == 0) as progress:
            for _ok, _item in streaming_bulk(
                connection, index_actions(merchants), chunk_size=BATCH
            ):
                progress.update(1)
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} merchants."))
