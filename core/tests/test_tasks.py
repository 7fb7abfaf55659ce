"""core/tasks.py: a failed task enqueues itself again, deferred along the backoff list, and
gives up with an ERROR after the last delay, or at once where the backend cannot wait."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from core.tasks import RETRY_DELAYS, retry_delay, retry_later

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DELAYS = (10, 20)


@task()
def always_fails(key: str, attempt: int = 1) -> str:
    try:
        raise ConnectionError(f"{key}: the peer is away")
    except ConnectionError as error:
        return retry_later(always_fails, key, attempt=attempt, error=error, delays=DELAYS)


def test_the_backoff_list_grows_and_ends():
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert retry_delay(1) == RETRY_DELAYS[0]
    assert retry_delay(len(RETRY_DELAYS)) == RETRY_DELAYS[-1]
    assert retry_delay(len(RETRY_DELAYS) + 1) is None


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_task_is_enqueued_again_later_until_it_gives_up(caplog):
    for attempt, delay in enumerate(DELAYS, start=1):
        before = timezone.now()
        outcome = always_fails.call("mail-7", attempt=attempt)
        assert outcome.startswith(f"attempt {attempt} failed, attempt {attempt + 1} after ")
        retry = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=attempt + 1)
        assert retry.args_kwargs["args"] == ["mail-7"]
        assert before + timedelta(seconds=delay) <= retry.run_after
        assert retry.run_after <= timezone.now() + timedelta(seconds=delay)

    with pytest.raises(ConnectionError):
        always_fails.call("mail-7", attempt=len(DELAYS) + 1)
    assert DBTaskResult.objects.count() == len(DELAYS)  # no further retry
    [record] = [r for r in caplog.records if r.name == "core.tasks" and r.levelname == "ERROR"]
    assert "failed 3 times, giving up" in record.getMessage()


def test_the_immediate_backend_cannot_wait_so_the_task_fails_at_once(caplog):
    result = always_fails.enqueue("mail-8")  # the test settings' immediate backend
    assert result.status == "FAILED"
    assert "cannot retry later, giving up" in caplog.text
