"""`/healthz` and `/readyz` for load balancers and process supervisors.

- `/healthz` (liveness): the process answers. "ok", no database or cache access.
- `/readyz` (readiness): the database answers `SELECT 1` (a statement timeout of a second on
  PostgreSQL), the cache stores and returns a probe key, and, where django-tasks' database
  backend holds the queue (TASKS_BACKEND=database), the longest a due task has waited is under
  `READY_MAX_TASK_AGE_SECONDS` (the check is "skipped" with the immediate backend). 200 with
  `{"status": "ok", "checks": {...}}`, or 503 with `"status": "fail"` and the failing checks
  named in `"failing"`. Each check catches its own errors: never a 500.

Both answer `Cache-Control: no-store` and set no cookies (they touch no session).
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, F, Min, When
from django.db.models.functions import Greatest
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

STATEMENT_TIMEOUT_MS = 1000


class CheckFailed(Exception):
    pass


def _statement_timeout(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")


def check_database() -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        _statement_timeout(cursor)
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise CheckFailed("SELECT 1 did not return 1")
    return "ok"


def check_cache() -> str:
    key = f"portal:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise CheckFailed("the probe key did not come back")
    finally:
        cache.delete(key)
    return "ok"


def check_tasks() -> str:
    """How long the longest-waiting due task has waited, where tasks wait in the database for
    `db_worker` (a retry deferred to later is due from its run_after, not from when it was
    first enqueued)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return "skipped"
    now = timezone.now()
    due_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _statement_timeout(cursor)
        oldest = (
            DBTaskResult.objects.ready()
            .annotate(due_since=due_since)
            .aggregate(oldest=Min("due_since"))["oldest"]
        )
    if oldest is None:
        return "ok"
    age = now - oldest
    limit = timedelta(seconds=settings.READY_MAX_TASK_AGE_SECONDS)
    if age > limit:
        raise CheckFailed(f"the oldest waiting task is {int(age.total_seconds())} s old")
    return "ok"


CHECKS = (("database", check_database), ("cache", check_cache), ("tasks", check_tasks))


@require_safe
@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def readyz(request):
    checks: dict[str, str] = {}
    failing: list[str] = []
    for name, check in CHECKS:
        if name == "tasks" and "database" in failing:
            checks[name] = "skipped"
            continue
        started = time.monotonic()
        try:
            checks[name] = check()
        except Exception as exc:  # every failure is an answer, never a 500
            # The public answer names the kind of failure; the details (hosts, ...) go to the log.
            detail = str(exc) if isinstance(exc, CheckFailed) else type(exc).__name__
            checks[name] = f"fail: {detail}"
            failing.append(name)
            logger.warning("readyz: the %s check failed: %s", name, exc)
        elapsed = time.monotonic() - started
        if elapsed > 1:
            logger.warning("readyz: the %s check took %.1f s", name, elapsed)
    if failing:
        logger.warning("readyz: not ready (%s)", ", ".join(failing))
        body = {"status": "fail", "failing": failing, "checks": checks}
        response = JsonResponse(body, status=503)
        # Logged above, at WARNING: not again by Django as an ERROR, which Sentry's logging
        # integration would report once per load balancer probe while a part is down.
        response._has_been_logged = True
        return response
    return JsonResponse({"status": "ok", "checks": checks})
