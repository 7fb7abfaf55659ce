"""Sources imported again: their data fetched (a URL, with a bounded timeout and size) or read
from the stored file, parsed and imported; the report stored on the source."""

from __future__ import annotations

from datetime import timedelta

import requests
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportSource
from .parsers import UnreadableFile, parse
from .services import ImportReport, import_rows

TIMEOUT = (5, 60)  # seconds to connect, seconds between bytes
MAX_BYTES = 200 * 1024 * 1024


def source_data(source: ImportSource) -> bytes:
    if source.url:
        try:
            with requests.get(source.url, timeout=TIMEOUT, stream=True) as response:
                response.raise_for_status()
                chunks, size = [], 0
                for chunk in response.iter_content(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise UnreadableFile(_("The data is larger than 200 MB."))
                    chunks.append(chunk)
                return b"".join(chunks)
        except requests.RequestException as error:
            raise UnreadableFile(
                _("Could not fetch %(url)s: %(error)s") % {"url": source.url, "error": error}
            ) from error
    if source.file:
        try:
            with source.file.open("rb") as file:
                return file.read()
        except OSError as error:
            raise UnreadableFile(
                _("Could not read the stored file: %(error)s") % {"error": error}
            ) from error
    raise UnreadableFile(_("The source has neither an address nor a file."))


def import_source(
    *,
    source: ImportSource,
    data: bytes | None = None,
    dry_run: bool = False,
    create_categories: bool = False,
    user=None,
) -> ImportReport:
    """Import `data` (default: the source's URL or file). A file that cannot be read gives a
    report with `fatal` set, stored on the source too (unless dry_run)."""
    try:
        rows = parse(data if data is not None else source_data(source), source.format)
    except UnreadableFile as error:
        report = ImportReport(dry_run=dry_run, fatal=str(error))
        if not dry_run:
            ImportSource.objects.filter(pk=source.pk).update(
                last_run_at=timezone.now(), last_report=report.as_dict()
            )
        return report
    return import_rows(
        source=source, rows=rows, dry_run=dry_run, create_categories=create_categories, user=user
    )


def due_sources(now=None) -> list[ImportSource]:
    """Sources with a refresh interval that has passed (or that never ran)."""
    now = now or timezone.now()
    due = []
    sources = ImportSource.objects.filter(refresh_hours__gt=0).filter(~Q(url="") | ~Q(file=""))
    for source in sources.select_related("site", "initiative"):
        if (
            source.last_run_at is None
            or source.last_run_at + timedelta(hours=source.refresh_hours) <= now
        ):
            due.append(source)
    return due
