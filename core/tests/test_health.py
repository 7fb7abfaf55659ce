"""/healthz and /readyz (core/health.py) through the whole middleware stack."""

import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

REFUSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def assert_uncacheable_and_cookieless(response):
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert_uncacheable_and_cookieless(response)


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "tasks": "skipped"},
    }
    assert_uncacheable_and_cookieless(response)


@pytest.mark.django_db
def test_readyz_names_the_cache_quickly_when_redis_refuses(client):
    with override_settings(CACHES=REFUSED_REDIS):
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["cache"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("fail: ")
    assert "127.0.0.1" not in response.content.decode()  # no connection details in public
    assert elapsed < 2
    assert_uncacheable_and_cookieless(response)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@task()
def noop():
    return None


def _enqueued(*, minutes_ago, run_after_minutes_ago=None):
    result = (
        noop.enqueue()
        if run_after_minutes_ago is None
        else noop.using(
            run_after=timezone.now() - timedelta(minutes=run_after_minutes_ago)
        ).enqueue()
    )
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return result


@pytest.mark.django_db
@override_settings(READY_MAX_TASK_AGE_SECONDS=600, TASKS=DATABASE_TASKS)
def test_readyz_names_the_task_queue_when_a_task_waits_too_long(client):
    _enqueued(minutes_ago=30)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["tasks"]
    assert body["checks"]["tasks"] == "fail: the oldest waiting task is 1800 s old"


@pytest.mark.django_db
@override_settings(READY_MAX_TASK_AGE_SECONDS=600, TASKS=DATABASE_TASKS)
def test_readyz_ignores_finished_fresh_and_deferred_tasks(client):
    finished = _enqueued(minutes_ago=30)
    DBTaskResult.objects.filter(pk=finished.id).update(status="SUCCESSFUL")
    _enqueued(minutes_ago=1)
    # A retry enqueued an hour ago to run a minute ago has waited a minute, not an hour.
    _enqueued(minutes_ago=60, run_after_minutes_ago=1)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["tasks"] == "ok"
