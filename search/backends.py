"""Which engine answers a search: chosen from configuration alone.

Without ELASTICSEARCH_URL the database backend (search/query.py) answers; with it, merchants are
searched in Elasticsearch (search/elastic.py) and stories stay in the database.
"""

from dataclasses import replace

from django.conf import settings
from django.core.paginator import Paginator

from directory.filters import merchants_in
from directory.models import Category, District, MerchantPage

from . import elastic, query


class DatabaseBackend:
    name = "database"

    def search(self, root, raw_query, filters, now, near=None, page_number=1):
        return query.search(root, raw_query, filters, now, near=near, page_number=page_number)

    def suggest(self, root, raw_query):
        return query.suggest(root, raw_query)

    def index_page(self, page):  # the database backend indexes on save by itself
        pass

    def remove_page(self, page_id):
        pass


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str):
        from elasticsearch_dsl import connections

        self.connection = connections.create_connection(hosts=[url], request_timeout=5)

    def search(self, root, raw_query, filters, now, near=None, page_number=1):
        folded = query.folded_query(raw_query)
        if not folded:  # no letter or digit: nothing to send (the database answers "nothing")
            return query.search(root, raw_query, filters, now, near=near)
        try:
            number = max(1, int(page_number or 1))
        except (TypeError, ValueError):
            number = 1
        size = query.PAGE_SIZE
        request = elastic.build_search(
            raw_query.strip(),
            filters,
            root.path,
            near=(near.latitude, near.longitude) if near else None,
            offset=(number - 1) * size,
            size=size,
        )
        response = request.using(self.connection).execute()
        return outcome_from_response(root, raw_query, folded, filters, now, near, number, response)

    def suggest(self, root, raw_query):
        prefix = query.folded_query(raw_query)
        if len(prefix) < 2:
            return []
        response = (
            elastic.build_suggest(raw_query.strip(), root.path).using(self.connection).execute()
        )
        ids = [int(option._id) for option in response.suggest.names[0].options]
        pages = MerchantPage.objects.select_related("category", "district").in_bulk(ids)
        return [pages[pk] for pk in ids if pk in pages and pages[pk].live]

    def index_page(self, page):
        root_path = page.path[: 2 * MerchantPage.steplen]  # the city's home page
        elastic.MerchantDocument.from_page(page, root_path).save(using=self.connection)

    def remove_page(self, page_id):
        # A merchant that was never indexed is fine: 404 is no error here.
        self.connection.options(ignore_status=404).delete(index=elastic.index_name(), id=page_id)


def outcome_from_response(root, raw_query, folded, filters, now, near, number, response):
    """Turn an Elasticsearch response into the same SearchOutcome the database gives."""
    ids = [int(hit.meta.id) for hit in response.hits]
    if filters.open_now:  # opening hours live in the database only
        open_ids = set(
            merchants_in(root, replace(filters, q=""), now)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids = [pk for pk in ids if pk in open_ids]
    total = response.hits.total.value
    paginator = Paginator(range(total), query.PAGE_SIZE)
    page = paginator.get_page(number)
    pages = MerchantPage.objects.select_related("category", "district", "hero_image").in_bulk(ids)
    page.object_list = [
        query.MerchantHit(
            pages[pk], near.distance_km(pages[pk].latitude, pages[pk].longitude) if near else None
        )
        for pk in ids
        if pk in pages
    ]

    def facets(name, model):
        buckets = response.aggregations[name]["values"].buckets
        names = dict(
            model.objects.filter(slug__in=[b.key for b in buckets]).values_list("slug", "name")
        )
        return [query.Facet(b.key, names.get(b.key, b.key), b.doc_count) for b in buckets]

    corrected = elastic.corrected_query(raw_query.strip(), response)
    stories = query.stories_matching(root, folded) if folded else []
    if corrected and not stories:
        stories = query.stories_matching(root, query.folded_query(corrected))
    return query.SearchOutcome(
        query=raw_query.strip(),
        corrected=corrected,
        merchants=page,
        stories=stories,
        categories=facets("category", Category),
        districts=facets("district", District),
    )


_backend = None
_backend_url = None


def current():
    """The backend for the current configuration (re-created when the setting changes)."""
    global _backend, _backend_url
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if _backend is None or url != _backend_url:
        _backend = ElasticsearchBackend(url) if url else DatabaseBackend()
        _backend_url = url
    return _backend
