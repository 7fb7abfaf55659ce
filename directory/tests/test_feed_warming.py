"""After a publish the worker builds the map's default feed again (directory/tasks.py), so the
first visitor is served from the cache; a burst of publishes enqueues one warming."""

import orjson
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from directory.tasks import WARM_DELAY

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FEED = "/api/map/merchants.geojson"
WARM_TASK = "directory.tasks.warm_feeds"


def feed_queries(client):
    """The feed's names, and the queries the request made that read merchants."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FEED)
    assert response.status_code == 200
    names = [f["properties"]["name"] for f in orjson.loads(response.content)["features"]]
    return names, [q["sql"] for q in queries if "directory_merchantpage" in q["sql"]]


@override_settings(TASKS=DATABASE_TASKS)
def test_after_a_publish_the_first_visitor_gets_the_feed_from_the_cache(
    directory_page, client, django_capture_on_commit_callbacks, monkeypatch
):
    # The worker's connection check would close the test's transaction on PostgreSQL (see
    # search/tests/test_index_tasks.py run_worker).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    merchant = MerchantPageFactory(parent=directory_page, title="Kiosk am Wall", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        merchant.save_revision().publish()
    warming = DBTaskResult.objects.get(task_path=WARM_TASK)
    assert (warming.run_after - timezone.now()).total_seconds() <= WARM_DELAY  # soon, not now

    DBTaskResult.objects.filter(pk=warming.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    warming.refresh_from_db()
    assert (warming.status, warming.return_value) == ("SUCCESSFUL", "warmed 1 sites")

    names, merchant_queries = feed_queries(client)
    assert names == ["Kiosk am Wall"]
    assert merchant_queries == []  # built by the worker, served from the cache


@override_settings(TASKS=DATABASE_TASKS)
def test_fifty_publishes_in_a_row_enqueue_one_warming(
    directory_page, django_capture_on_commit_callbacks
):
    merchant = MerchantPageFactory(parent=directory_page, live=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(50):
            merchant.save_revision().publish()
    assert len(callbacks) >= 50
    assert DBTaskResult.objects.filter(task_path=WARM_TASK).count() == 1


def test_with_the_immediate_backend_a_publish_builds_no_feed(
    directory_page, client, django_capture_on_commit_callbacks
):
    """Development and tests: no worker and no warming unless MAP_FEED_WARMING says so, so that
    no publish in the suite pays for a feed build; the next visitor builds it."""
    merchant = MerchantPageFactory(parent=directory_page, title="Bude am Remberg", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        merchant.save_revision().publish()
    names, merchant_queries = feed_queries(client)
    assert names == ["Bude am Remberg"] and merchant_queries  # built by the visitor

    merchant.title = "Bude am Remberg (neu)"
    with override_settings(MAP_FEED_WARMING=True):
        with django_capture_on_commit_callbacks(execute=True):
            merchant.save_revision().publish()  # warmed inline, at once
    names, merchant_queries = feed_queries(client)
    assert (names, merchant_queries) == (["Bude am Remberg (neu)"], [])
