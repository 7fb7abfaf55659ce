"""The real process model: a voucher is paid in the web process, and a separate `db_worker`
process builds the confirmation with its PDF and delivers it through a real SMTP server, which
refuses at first: the worker retries after MAIL_RETRY_DELAYS and the mail arrives once."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale, Page

from core.testing import SmtpServer
from mailqueue.models import QueuedMail
from payments.models import Order
from support import services
from support.tests.conftest import buyer, merchant, pay_with_demo, site  # noqa: F401 - fixtures

DEV_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
}
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a second process needs a database it can see (make test on PG)",
    ),
    pytest.mark.django_db(transaction=True),  # committed data, for the worker process to see
]


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """Another transactional test's flush may have emptied what Wagtail's migrations made: the
    locale and the tree's root page. Put them back."""
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def run_worker(smtp_port: int) -> subprocess.CompletedProcess:
    """`db_worker --batch` on the development settings: their cache is the database's table
    (without REDIS_URL), which the test database lacks until createcachetable."""
    with override_settings(CACHES={"default": DEV_DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "MAIL_RETRY_DELAYS": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
        + ["--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_process_delivers_the_voucher_once_the_mail_server_accepts(
    merchant,  # noqa: F811
    buyer,  # noqa: F811
    site,  # noqa: F811
):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)  # commits: the confirmation waits in the task queue
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.filter(task_path="support.tasks.send_order_confirmation").count() == 1
    assert not QueuedMail.objects.exists()  # nothing rendered in the web process

    with SmtpServer(refusing=True) as server:
        run_worker(server.port)  # builds the mail and the PDF; the server refuses
        queued = QueuedMail.objects.get()
        assert (queued.status, queued.attempts) == (QueuedMail.Status.QUEUED, 1)
        assert "451" in queued.last_error
        assert not server.messages

        server.refusing = False
        time.sleep(1.1)  # MAIL_RETRY_DELAYS=1: the deferred retry is due
        run_worker(server.port)

    [message] = server.messages
    assert message["To"] == buyer.email
    assert merchant.title in message["Subject"]
    assert any(part.get_filename() for part in message.walk())  # the voucher's PDF
    assert QueuedMail.objects.get().status == QueuedMail.Status.SENT
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
