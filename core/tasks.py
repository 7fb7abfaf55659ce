"""Retries for django-tasks tasks, which have none of their own.

A task that talks to something outside (Elasticsearch, the cache) takes an `attempt` argument
(1 for the first run) and, when it fails, hands the error to `retry_later`: that enqueues the
same task again with `attempt + 1`, deferred by the next delay of the backoff list, and returns
what it did. After the last delay, or when the backend cannot defer (the immediate backend of
development and tests runs at once and cannot wait), it logs an ERROR and re-raises, so the
task's result is "failed" and visible where task results are shown.

    @task()
    def index_merchant(page_id: int, attempt: int = 1) -> str:
        try:
            ...
        except ConnectionError as error:
            return retry_later(index_merchant, page_id, attempt=attempt, error=error)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, ... attempt; after the last, the task gives up.
RETRY_DELAYS: tuple[int, ...] = (30, 120, 600, 1800, 7200)


def retry_delay(attempt: int, delays: Sequence[int] = RETRY_DELAYS) -> int | None:
    """Seconds before the attempt after `attempt`, or None when there is none left."""
    return delays[attempt - 1] if 1 <= attempt <= len(delays) else None


def retry_later(
    task, *args, attempt: int, error: BaseException, delays: Sequence[int] = RETRY_DELAYS
) -> str:
    """Enqueue `task(*args, attempt=attempt + 1)` after the next delay, or give up (log, raise
    `error`). Call it from the task's `except` block; return what it returns."""
    delay = retry_delay(attempt, delays)
    if delay is None:
        logger.error("Task %s%r failed %d times, giving up: %r", task.name, args, attempt, error)
        raise error
    if not task.get_backend().supports_defer:
        logger.error(
            "Task %s%r failed and the task backend cannot retry later, giving up: %r",
            task.name,
            args,
            error,
        )
        raise error
    run_after = timezone.now() + timedelta(seconds=delay)
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    logger.warning(
        "Task %s%r failed (attempt %d), retrying in %d s: %r",
        task.name,
        args,
        attempt,
        delay,
        error,
    )
    return f"attempt {attempt} failed, attempt {attempt + 1} after {run_after.isoformat()}"
