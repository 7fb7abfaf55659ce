"""Imports as background jobs: the admin starts one (a dry run first, then the real import)
and shows its state until the report is there. The task (directory/tasks.py run_import) runs
it on the worker; the immediate backend of development and tests runs it at once."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import tasks
from ..models import ImportJob, ImportSource
from .services import ImportError_, ImportReport
from .sync import import_source

logger = logging.getLogger(__name__)
ACTIVE = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
# A job still "running" after this long had its worker die under it (its transaction was rolled
# back): it no longer holds up the next import of its source.
STALE_AFTER = timedelta(hours=6)


def job_start(*, source: ImportSource, dry_run: bool, create_categories: bool, user) -> ImportJob:
    """Queue a run of `source`. Raises ImportError_ while a real import of it is under way:
    two at once would both create the merchants neither has recorded yet."""
    with transaction.atomic():
        ImportSource.objects.select_for_update().filter(pk=source.pk).first()
        under_way = source.jobs.filter(
            dry_run=False, status__in=ACTIVE, created_at__gte=timezone.now() - STALE_AFTER
        )
        if not dry_run and under_way.exists():
            raise ImportError_(_("An import of this source is under way already."))
        job = ImportJob.objects.create(
            source=source, dry_run=dry_run, create_categories=create_categories, user=user
        )
        transaction.on_commit(lambda: tasks.run_import.enqueue(job.pk))
    return job


def job_run(job_id: int) -> str:
    """Run a queued job, once: a job that is not waiting (run already, or by another worker)
    is left alone. An error ends the job as failed, with the reason in its report."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return "not waiting"
    job = ImportJob.objects.select_related("source__site", "source__initiative", "user").get(
        pk=job_id
    )
    try:
        report = import_source(
            source=job.source,
            dry_run=job.dry_run,
            create_categories=job.create_categories,
            user=job.user,
        )
        status = ImportJob.Status.FAILED if report.fatal else ImportJob.Status.DONE
    except Exception as error:  # the import's transaction is rolled back: nothing is half done
        logger.exception("Import job %s failed", job_id)
        report = ImportReport(
            dry_run=job.dry_run,
            fatal=_("The import stopped, nothing was imported: %(error)s") % {"error": error},
        )
        status = ImportJob.Status.FAILED
    ImportJob.objects.filter(pk=job_id).update(
        status=status, report=report.as_dict(), finished_at=timezone.now()
    )
    return f"{status}: {report.summary()}"
