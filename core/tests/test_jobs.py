"""Scheduled jobs run one at a time (a lock row in the database) and log one line of what they
did. The last test runs two real `manage.py expire_orders` processes at once on PostgreSQL."""

import io
import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from core.jobs import JobLocked, acquire_job_lock, job_lock, release_job_lock
from core.models import JobLock

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Each job, and the start of the line it prints when it ran.
JOBS = {
    "expire_orders": "Cancelled 0 order(s), refunded 0 payment(s) in ",
    "send_voucher_reminders": "Sent 0 voucher reminder(s) in ",
    "refresh_offer_flags": "Campaign flag switched off for 0 merchant(s) in ",
    "anonymise_old_orders": "0 orders placed before ",
    "send_queued_mail": (
        "Queued mail: 0 sent, 0 to retry, 0 failed, 0 skipped, 0 old sent mails deleted in "
    ),
}


def run(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


def test_a_held_lock_refuses_a_second_run_until_it_is_released():
    first = acquire_job_lock("nightly")
    assert first is not None
    assert acquire_job_lock("nightly") is None
    assert acquire_job_lock("another job") is not None  # locks are per job
    assert release_job_lock(first)
    second = acquire_job_lock("nightly")
    assert second is not None and second.holder != first.holder


def test_an_expired_lock_is_taken_over(caplog):
    crashed = acquire_job_lock("nightly", seconds=60)
    JobLock.objects.filter(pk="nightly").update(expires_at=timezone.now() - timedelta(seconds=1))
    with caplog.at_level(logging.WARNING, logger="portal.jobs"):
        taker = acquire_job_lock("nightly")
    assert taker is not None
    assert f"took over the expired lock held by {crashed.holder}" in caplog.text
    # The crashed run, should it come back, cannot release the new holder's lock.
    assert not release_job_lock(crashed)
    assert JobLock.objects.get(pk="nightly").holder == taker.holder


def test_the_lock_is_released_when_the_job_fails():
    with pytest.raises(ValueError), job_lock("nightly"):
        with pytest.raises(JobLocked, match="nightly: held by"), job_lock("nightly"):
            pass  # pragma: no cover - never entered
        raise ValueError("the job broke")
    assert not JobLock.objects.exists()
    with job_lock("nightly"):
        assert JobLock.objects.count() == 1


@pytest.mark.parametrize("name", JOBS)
def test_a_job_logs_and_prints_what_it_did_and_releases_its_lock(name, caplog):
    with caplog.at_level(logging.INFO, logger="portal.jobs"):
        line = run(name)
    assert line.startswith(JOBS[name]) and line.endswith(" s.")
    [record] = [r for r in caplog.records if r.name == "portal.jobs"]
    assert (record.levelno, record.getMessage()) == (logging.INFO, f"{name}: {line}")
    assert record.outcome == "done" and record.seconds < 5
    assert not JobLock.objects.exists()


@pytest.mark.parametrize("name", JOBS)
def test_a_second_run_while_the_lock_is_held_does_nothing_and_says_so(name, caplog):
    held = acquire_job_lock(name)
    with caplog.at_level(logging.INFO, logger="portal.jobs"):
        line = run(name)  # returns normally: exit status 0
    assert line.startswith(f"already running (held by {held.holder} since ")
    assert line.endswith("); nothing done.")
    assert JOBS[name] not in line
    [record] = [r for r in caplog.records if r.name == "portal.jobs"]
    assert record.getMessage() == f"{name}: {line}"
    assert JobLock.objects.get(pk=name).holder == held.holder  # untouched


def test_production_logging_lets_the_job_lines_through_at_warning():
    from core.logs import logging_config

    script = (
        "import logging, logging.config;"
        "from core.logs import logging_config;"
        "logging.config.dictConfig(logging_config(level='WARNING'));"
        "logging.getLogger('portal.jobs').info('expire_orders: Cancelled 1 order(s)');"
        "logging.getLogger('payments').info('not shown')"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert "INFO portal.jobs [-] expire_orders: Cancelled 1 order(s)" in result.stderr
    assert "not shown" not in result.stderr
    assert logging_config(level="WARNING")["root"]["level"] == "WARNING"


def manage(database_name: str, *args: str) -> subprocess.Popen:
    """manage.py in a process of its own, on this test's PostgreSQL database."""
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{database_name}"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=url)
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args, "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the processes share the test database on PostgreSQL (SQLite's is in memory)",
)
def test_two_processes_at_once_one_does_the_work_the_other_nothing():
    """The test locks the orders table, so whichever process takes the job lock first waits
    inside its work (its first query reads the orders): the other runs into the held job lock
    for certain, however the two are scheduled. The table lock is taken after a savepoint, and
    rolling back to it releases the lock (PostgreSQL), so the test needs no committed data."""
    savepoint = transaction.savepoint()
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE payments_order IN ACCESS EXCLUSIVE MODE")
    runs = [manage(connection.settings_dict["NAME"], "expire_orders") for _ in range(2)]
    deadline = time.monotonic() + 30
    while all(run.poll() is None for run in runs) and time.monotonic() < deadline:
        time.sleep(0.02)
    transaction.savepoint_rollback(savepoint)  # the waiting run goes on
    outputs = sorted(run.communicate(timeout=30)[0].strip() for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0].startswith("Cancelled 0 order(s), refunded 0 payment(s) in ")
    assert outputs[1].startswith("already running (held by ")
    assert not JobLock.objects.exists()  # released by the run that had it
