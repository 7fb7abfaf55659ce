"""Scheduled jobs (cron, deploy/crontab): one run at a time, and one log line of what each did.

The lock is a row in the database (core.models.JobLock), not in the cache: the cache may be
away, and the database is what every web, worker and cron machine shares. It works the same on
SQLite and PostgreSQL:

- acquire: in one transaction, delete the job's lock if it has expired, then INSERT a row with
  the job's name as primary key. The INSERT of a second run fails with IntegrityError (on
  PostgreSQL it waits until the first run's transaction has committed, then fails; SQLite
  serialises the two writes): the lock is held, and that run does nothing.
- release: delete the row, only if it is still ours (`holder` is host, pid and a random token).
- expiry: a run that crashed or was killed (SIGKILL, a lost machine) leaves its row behind; once
  `expires_at` has passed, the next run takes the lock over. Choose the expiry longer than a run
  ever takes: a run that outlives it may meet a second one (every job is also safe then, row by
  row, but the lock no longer says so). The clocks of the machines should agree (NTP); a few
  seconds do not matter against expiries of minutes.

    class Command(ScheduledJobCommand):
        lock_seconds = 15 * 60

        def run_job(self, **options) -> JobResult:
            ...
            return JobResult(f"Cancelled {n} order(s)", {"cancelled": n})

prints and logs (logger `portal.jobs`, INFO, let through by core.logs.logging_config at any
LOG_LEVEL) "expire_orders: Cancelled 3 order(s) in 0.41 s.", or "expire_orders: already running
(held by web-1:4711:9f3a since 05:10:02 UTC, until 05:25:02 UTC); nothing done." and exits 0.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from .models import JobLock

logger = logging.getLogger("portal.jobs")

DEFAULT_LOCK_SECONDS = 60 * 60


class JobLocked(Exception):
    """Another run holds the job's lock; `lock` is its row (None if it was released since)."""

    def __init__(self, name: str, lock: JobLock | None):
        self.name, self.lock = name, lock
        super().__init__(f"{name}: {describe_holder(lock)}")


def describe_holder(lock: JobLock | None) -> str:
    if lock is None:
        return "held by another run, which has just finished"
    return (
        f"held by {lock.holder} since {lock.acquired_at:%Y-%m-%d %H:%M:%S} UTC, "
        f"until {lock.expires_at:%H:%M:%S} UTC"
    )


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[:200]


def acquire_job_lock(name: str, *, seconds: int = DEFAULT_LOCK_SECONDS) -> JobLock | None:
    """The job's lock, or None when another run holds it. Commits at once (outside a caller's
    transaction), so that every other process sees it."""
    now = timezone.now()
    lock = JobLock(
        name=name,
        holder=_holder(),
        acquired_at=now,
        expires_at=now + timedelta(seconds=seconds),
    )
    try:
        with transaction.atomic():
            stale = JobLock.objects.filter(name=name, expires_at__lte=now).first()
            if stale is not None:
                JobLock.objects.filter(pk=name, holder=stale.holder).delete()
            lock.save(force_insert=True)
    except IntegrityError:
        return None
    if stale is not None:
        logger.warning(
            "%s: took over the expired lock %s (its run crashed or overran)",
            name,
            describe_holder(stale),
            extra={"job": name},
        )
    return lock


def release_job_lock(lock: JobLock) -> bool:
    """Delete the lock if it is still ours; False if it expired and another run took it."""
    deleted, _ = JobLock.objects.filter(name=lock.name, holder=lock.holder).delete()
    return bool(deleted)


@contextmanager
def job_lock(name: str, *, seconds: int = DEFAULT_LOCK_SECONDS) -> Iterator[JobLock]:
    """Hold the job's lock for the block; raises JobLocked (before the block) when another run
    holds it. The lock is released however the block ends."""
    lock = acquire_job_lock(name, seconds=seconds)
    if lock is None:
        raise JobLocked(name, JobLock.objects.filter(name=name).first())
    try:
        yield lock
    finally:
        try:
            if not release_job_lock(lock):
                logger.warning(
                    "%s: the run outlived its lock (%s s), another run had taken it over",
                    name,
                    seconds,
                    extra={"job": name},
                )
        except DatabaseError:  # the lock expires by itself; do not hide the block's own error
            logger.warning(
                "%s: could not release the lock; it expires at %s",
                name,
                lock.expires_at.isoformat(),
                exc_info=True,
                extra={"job": name},
            )


@dataclass
class JobResult:
    """What a run did: `text` for people ("Sent 3 voucher reminder(s)"), `counts` for machines
    (in the log record's extra: a JSON log line carries them as fields)."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)


class ScheduledJobCommand(BaseCommand):
    """A management command run by cron: `run_job` runs under the job's lock (named after the
    command unless `job_name` is set), and the summary is printed and logged with its duration.
    A second run while the lock is held prints and logs "already running" and exits 0."""

    job_name = ""
    lock_seconds = DEFAULT_LOCK_SECONDS

    def run_job(self, *args, **options) -> JobResult:
        raise NotImplementedError

    def get_job_name(self) -> str:
        return self.job_name or type(self).__module__.rsplit(".", 1)[-1]

    def handle(self, *args, **options) -> None:
        name = self.get_job_name()
        started = time.monotonic()
        try:
            with job_lock(name, seconds=self.lock_seconds):
                try:
                    result = self.run_job(*args, **options)
                except Exception as error:
                    logger.warning(
                        "%s: failed after %.2f s (%s); lock released",
                        name,
                        time.monotonic() - started,
                        type(error).__name__,
                        extra={"job": name, "outcome": "failed"},
                    )
                    raise
        except JobLocked as held:
            line = f"already running ({describe_holder(held.lock)}); nothing done."
            logger.info("%s: %s", name, line, extra={"job": name, "outcome": "already running"})
            self.stdout.write(line)
            return
        seconds = time.monotonic() - started
        line = f"{result.text} in {seconds:.2f} s."
        logger.info(
            "%s: %s",
            name,
            line,
            extra={
                "job": name,
                "outcome": "done",
                "seconds": round(seconds, 3),
                "counts": result.counts,
            },
        )
        self.stdout.write(line)
