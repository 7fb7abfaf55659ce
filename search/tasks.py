"""Elasticsearch index updates as background tasks: publishing only enqueues one (a task row on
the database backend); the worker then indexes the merchant, or removes it when it is gone or
no longer live, retrying with backoff while Elasticsearch is away (core/tasks.py)."""

from django_tasks import task
from elastic_transport import ApiError, TransportError

from core.tasks import retry_later
from directory.models import MerchantPage

from . import backends


def merchant_for_index(page_id: int) -> MerchantPage | None:
    """The live merchant to index, or None when it should leave the index."""
    return (
        MerchantPage.objects.live()
        .filter(pk=page_id)
        .select_related("category", "district")
        .prefetch_related("initiatives", "tagged_items__tag")
        .first()
    )


@task()
def index_merchant(page_id: int, attempt: int = 1) -> str:
    """Bring one merchant's entry in Elasticsearch in step with the database, whatever the
    signal was: by the time the worker runs, the page's state is what counts."""
    page = merchant_for_index(page_id)
    backend = backends.current()
    try:
        if page is None:
            backend.remove_page(page_id)
            return "removed"
        backend.index_page(page)
        return "indexed"
    except (TransportError, ApiError) as error:
        if isinstance(error, ApiError) and error.status_code != 429 and error.status_code < 500:
            raise  # a request Elasticsearch refuses (400, 404 ...): another try would too
        # Refused, timed out, overloaded or unavailable: worth another try.
        return retry_later(index_merchant, page_id, attempt=attempt, error=error)
