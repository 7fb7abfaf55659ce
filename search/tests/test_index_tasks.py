"""Index updates are background tasks: with the database task backend publishing writes a task
row and nothing reaches Elasticsearch until the worker runs it; a failed request is retried
later. Elasticsearch is a small HTTP server in a thread that records what the client sends and
answers as Elasticsearch would (or with 503, as a cluster that is away)."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from core.tasks import RETRY_DELAYS
from directory.tests.factories import MerchantPageFactory
from search import elastic
from search.tasks import index_merchant

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_PATH = "search.tasks.index_merchant"


class _Elasticsearch(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.received.append((self.command, self.path, json.loads(body) if body else None))
        status = self.server.status
        parts = self.path.strip("/").split("/")
        answer = {
            "_index": parts[0],
            "_id": parts[-1].split("?")[0],
            "_version": 1,
            "result": "deleted" if self.command == "DELETE" else "created",
            "_shards": {"total": 1, "successful": 1, "failed": 0},
            "_seq_no": 0,
            "_primary_term": 1,
        }
        if status >= 500:
            answer = {"error": {"type": "cluster_block_exception"}, "status": status}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = do_POST = do_DELETE = do_GET = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def es(settings):
    """An Elasticsearch stand-in; `es.status = 503` makes it refuse."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Elasticsearch)
    server.received, server.status = [], 201
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{server.server_port}"
    yield server
    settings.ELASTICSEARCH_URL = ""
    server.shutdown()
    server.server_close()


@pytest.fixture
def run_worker(monkeypatch):
    """`manage.py db_worker --batch` in the test's transaction. The worker drops connections
    whose autocommit differs from the settings' before each poll (close_old_connections), which
    on PostgreSQL would close the test's own transaction: that check is left out here."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


def index_path(pk: int) -> str:
    return f"/{elastic.index_name()}/_doc/{pk}"


@override_settings(TASKS=DATABASE_TASKS)
def test_publishing_writes_a_task_and_the_worker_indexes_the_merchant(
    directory_page, es, run_worker
):
    merchant = MerchantPageFactory(parent=directory_page, title="Kiosk am Wall", live=False)
    merchant.save_revision().publish()

    assert es.received == []  # the request only wrote the task row
    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.args_kwargs == {"args": [merchant.pk], "kwargs": {}}

    run_worker()
    [(method, path, body)] = es.received
    assert (method, path) == ("PUT", index_path(merchant.pk))
    assert body["name"] == "Kiosk am Wall"
    assert body["site_path"] == directory_page.path[:8]
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "indexed")


@override_settings(TASKS=DATABASE_TASKS)
def test_unpublishing_and_deleting_remove_the_merchant_when_the_worker_runs(
    directory_page, es, run_worker
):
    merchant = MerchantPageFactory(parent=directory_page)
    pk = merchant.pk
    merchant.unpublish()
    run_worker()
    merchant.delete()
    run_worker()

    assert es.received == [("DELETE", index_path(pk), None)] * 2
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="SUCCESSFUL").count() == 2


@override_settings(TASKS=DATABASE_TASKS)
def test_elasticsearch_away_means_a_retry_later_then_the_index_catches_up(
    directory_page, es, run_worker
):
    merchant = MerchantPageFactory(parent=directory_page, live=False)
    merchant.save_revision().publish()
    es.status = 503
    started = timezone.now()
    run_worker()

    assert es.received and {(m, p) for m, p, _ in es.received} == {("PUT", index_path(merchant.pk))}
    retry = DBTaskResult.objects.get(task_path=TASK_PATH, status="READY")
    assert retry.args_kwargs == {"args": [merchant.pk], "kwargs": {"attempt": 2}}
    delay = timedelta(seconds=RETRY_DELAYS[0])
    assert started + delay <= retry.run_after <= timezone.now() + delay
    sent = len(es.received)
    run_worker()  # not due yet: nothing is sent
    assert len(es.received) == sent

    es.status = 201
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    retry.refresh_from_db()
    assert (retry.status, retry.return_value) == ("SUCCESSFUL", "indexed")
    assert es.received[-1][:2] == ("PUT", index_path(merchant.pk))


@override_settings(TASKS=DATABASE_TASKS)
def test_after_the_last_retry_the_task_fails_visibly(directory_page, es, run_worker, caplog):
    merchant = MerchantPageFactory(parent=directory_page)
    es.status = 503
    last = len(RETRY_DELAYS) + 1
    index_merchant.enqueue(merchant.pk, attempt=last)
    run_worker()

    task = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task.status == "FAILED"
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no further retry
    assert f"failed {last} times, giving up" in caplog.text


def test_without_elasticsearch_publishing_enqueues_nothing(directory_page, settings):
    settings.ELASTICSEARCH_URL = ""
    with override_settings(TASKS=DATABASE_TASKS):
        MerchantPageFactory(parent=directory_page, live=False).save_revision().publish()
        assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()
