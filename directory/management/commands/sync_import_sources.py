"""Import every source again whose refresh interval has passed (deploy/crontab)."""

from core.jobs import JobResult, ScheduledJobCommand
from directory.imports.services import ImportError_
from directory.imports.sync import due_sources, import_source


class Command(ScheduledJobCommand):
    help = "Re-import the import sources whose refresh interval has passed; reports on each source."
    lock_seconds = 3 * 60 * 60  # a large OSM extract takes minutes; never two runs at once

    def run_job(self, **options) -> JobResult:
        totals = {"sources": 0, "failed": 0}
        for source in due_sources():
            totals["sources"] += 1
            try:
                report = import_source(source=source)
            except ImportError_ as error:
                totals["failed"] += 1
                self.stdout.write(f"{source.name}: {error}")
                continue
            if report.fatal:
                totals["failed"] += 1
                self.stdout.write(f"{source.name}: nothing imported: {report.fatal}")
                continue
            for outcome, number in report.counts.items():
                totals[outcome] = totals.get(outcome, 0) + number
            self.stdout.write(f"{source.name}: {report.summary()}")
        return JobResult(f"Synced {totals['sources']} import source(s)", totals)
