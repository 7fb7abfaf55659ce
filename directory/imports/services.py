"""The import (docs/imports.md): rows checked one by one, each written in its own savepoint
(all or nothing per row, never half a merchant), into the city's directory as live, unowned
merchants; a re-import of a source updates its merchants by external id; duplicates merged
when certain, sent to a human when likely (dedupe.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import indexing

from ..models import (
    DirectoryPage,
    ImportCandidate,
    ImportSource,
    MerchantPage,
    MerchantSourceRecord,
)
from ..signals import merchants_imported
from .centre import city_centre
from .dedupe import (
    MAX_METRES,
    Known,
    MerchantIndex,
    normal_email,
    normal_name,
    normal_phone,
    normal_website,
)
from .parsers import Row
from .validation import (
    MAX_KM_FROM_CENTRE,
    Categories,
    CleanRow,
    Districts,
    RowError,
    clean_row,
)
from .writing import Tree, add_initiative, create_merchant, update_merchant

BATCH = 500  # rows per transaction (each row its own savepoint inside)
OUTCOMES = ("created", "updated", "unchanged", "merged", "review", "error")


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """The import cannot run at all (no directory in the city, a decided candidate, ...)."""


@dataclass
class Problem:
    line: int
    reason: str
    level: str = "error"  # or "warning": the row was imported, with this remark


@dataclass
class ImportReport:
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    problems: list[Problem] = field(default_factory=list)
    created_categories: list[str] = field(default_factory=list)
    fatal: str = ""  # the file could not be read: nothing was imported

    def count(self, outcome: str) -> None:
        self.counts[outcome] += 1

    def error(self, line: int, reason: str) -> None:
        self.count("error")
        self.problems.append(Problem(line, reason))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return ", ".join(f"{outcome}: {self.counts[outcome]}" for outcome in OUTCOMES)


def directory_of(site) -> DirectoryPage:
    directory = DirectoryPage.objects.descendant_of(site.root_page, inclusive=True).first()
    if directory is None:
        raise ImportError_(_("This city has no merchant directory yet."))
    return directory


def _known(row: CleanRow, pk: int = 0) -> Known:
    return Known(
        pk,
        normal_name(row.name),
        float(row.latitude),
        float(row.longitude),
        normal_website(row.website),
        normal_email(row.email),
        normal_phone(row.phone),
    )


def city_index(directory: DirectoryPage, centre) -> MerchantIndex:
    """The city's merchants near enough to matter, in one query on the coordinate index."""
    lat, lng = float(centre[0]), float(centre[1])
    probe = MerchantIndex(lat)
    reach = MAX_KM_FROM_CENTRE * 1000 + MAX_METRES
    dlat = reach / 1000 / 111.32
    dlng = dlat * probe.cell_lng / probe.cell_lat
    merchants = MerchantPage.objects.descendant_of(directory).filter(
        latitude__range=(lat - dlat, lat + dlat), longitude__range=(lng - dlng, lng + dlng)
    )
    return MerchantIndex.of_merchants(merchants, lat)


class _Run:
    """One import of rows from a source; see import_rows."""

    def __init__(self, source: ImportSource, *, create_categories: bool, user, report):
        self.source, self.user, self.report = source, user, report
        self.directory = directory_of(source.site)
        self.centre = city_centre(source.site)
        self.town = source.site.site_name or ""
        self.categories = Categories(create=create_categories)
        self.districts = Districts(source.site)
        self.tree = Tree(self.directory)
        self.index = city_index(self.directory, self.centre)
        self.records = {
            r.external_id: r for r in MerchantSourceRecord.objects.filter(source=source)
        }
        self.open_candidates = set(
            ImportCandidate.objects.filter(
                source=source, status=ImportCandidate.Status.OPEN
            ).values_list("row__id", flat=True)
        )
        self.changed: list[int] = []  # the batch's merchants created, updated or merged into
        self.written: int | None = None  # the merchant the current row changed

    def run(self, rows: list[Row]) -> None:
        for start in range(0, len(rows), BATCH):
            with transaction.atomic(), indexing.deferred():
                self.tree.lock()
                self.changed = []
                for row in rows[start : start + BATCH]:
                    self.one(row)
                self.tree.finish()
                if self.changed:
                    merchants_imported.send(sender=MerchantPage, page_ids=self.changed)

    def one(self, row: Row) -> None:
        report = self.report
        if row.error:
            report.error(row.line, row.error)
            return
        try:
            clean = clean_row(
                row.fields,
                line=row.line,
                centre=self.centre,
                categories=self.categories,
                town=self.town,
                districts=self.districts,
            )
        except RowError as error:
            report.error(row.line, str(error))
            return
        tree_state = self.tree.state()
        self.written = None  # set by write(); counted once the row's savepoint holds
        try:
            with transaction.atomic():
                outcome, known = self.write(row, clean)
        except Exception as error:  # the savepoint is rolled back: nothing of this row stays
            self.tree.restore(tree_state)
            report.error(row.line, _("Could not be saved: %(error)s") % {"error": error})
            return
        if known is not None:
            self.index.add(known)
        if self.written is not None:
            self.changed.append(self.written)
        report.count(outcome)
        for warning in clean.warnings:
            report.problems.append(Problem(row.line, warning, "warning"))

    def write(self, row: Row, clean: CleanRow) -> tuple[str, Known | None]:
        source, initiative = self.source, self.source.initiative
        record = self.records.get(clean.external_id)
        if record is not None:
            return self.again(record, clean), None
        match = self.index.match(_known(clean))
        if match is not None and match.certain:
            merchant = MerchantPage.objects.get(pk=match.merchant_id)
            if initiative and add_initiative(merchant, initiative):
                self.written = merchant.pk
            self.records[clean.external_id] = MerchantSourceRecord.objects.create(
                source=source,
                merchant=merchant,
                external_id=clean.external_id,
                created=False,
                fingerprint=clean.fingerprint,
            )
            clean.warnings.append(
                _("Merged into %(name)s (%(reason)s).")
                % {"name": merchant.title, "reason": match.reason}
            )
            return "merged", None
        if match is not None:
            row_id = row.fields.get("id") or clean.external_id
            if row_id not in self.open_candidates:
                ImportCandidate.objects.create(
                    source=source,
                    row={**row.fields, "id": row_id},
                    line=row.line,
                    merchant_id=match.merchant_id,
                    reason=match.reason,
                )
                self.open_candidates.add(row_id)
            return "review", None
        page = create_merchant(self.tree, clean, initiative=initiative, user=self.user)
        self.written = page.pk
        self.records[clean.external_id] = MerchantSourceRecord.objects.create(
            source=source,
            merchant=page,
            external_id=clean.external_id,
            fingerprint=clean.fingerprint,
        )
        return "created", _known(clean, page.pk)

    def again(self, record: MerchantSourceRecord, clean: CleanRow) -> str:
        """A record this source brought before: update its merchant if the row changed."""
        if record.fingerprint == clean.fingerprint or not record.created:
            return "unchanged"
        merchant = MerchantPage.objects.get(pk=record.merchant_id)
        if merchant.has_owner or merchant.has_unpublished_changes:
            clean.warnings.append(
                _("Not updated: %(name)s is looked after by its owner or has a draft.")
                % {"name": merchant.title}
            )
            return "unchanged"
        update_merchant(merchant, clean, initiative=self.source.initiative, user=self.user)
        self.written = merchant.pk
        record.fingerprint = clean.fingerprint
        record.save(update_fields=["fingerprint", "imported_at"])
        return "updated"


def import_rows(
    *,
    source: ImportSource,
    rows: list[Row],
    dry_run: bool = False,
    create_categories: bool = False,
    user=None,
) -> ImportReport:
    """Import `rows` (parsers.parse) from `source`. With dry_run everything happens in a
    transaction that is rolled back at the end: the report is the one the import would give."""
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        run = _Run(source, create_categories=create_categories, user=user, report=report)
        run.run(rows)
        report.created_categories = run.categories.created
        if dry_run:
            transaction.set_rollback(True)
        else:
            ImportSource.objects.filter(pk=source.pk).update(
                last_run_at=timezone.now(), last_report=report.as_dict()
            )
    return report


def candidate_resolve(*, candidate: ImportCandidate, action: str, user) -> MerchantPage | None:
    """A human's decision on a likely duplicate: "merge" (the row is the listed merchant: it
    gets the source's initiative), "create" (a merchant of its own) or "skip". Returns the
    merchant merged into or created."""
    if action not in ("merge", "create", "skip"):
        raise ImportError_(_("Unknown decision %(action)s.") % {"action": action})
    with transaction.atomic():
        candidate = ImportCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != ImportCandidate.Status.OPEN:
            raise ImportError_(_("This possible duplicate has been decided already."))
        source, merchant = candidate.source, None
        external_id = str(candidate.row.get("id", ""))[:200]
        if action == "merge":
            merchant = candidate.merchant
            if source.initiative and add_initiative(merchant, source.initiative):
                merchants_imported.send(sender=MerchantPage, page_ids=[merchant.pk])
            MerchantSourceRecord.objects.get_or_create(
                source=source,
                external_id=external_id,
                defaults={"merchant": merchant, "created": False},
            )
            candidate.status = ImportCandidate.Status.MERGED
        elif action == "create":
            merchant = _create_from_candidate(candidate, user)
            merchants_imported.send(sender=MerchantPage, page_ids=[merchant.pk])
            candidate.status = ImportCandidate.Status.CREATED
        else:
            candidate.status = ImportCandidate.Status.SKIPPED
        candidate.decided_by, candidate.decided_at = user, timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    return merchant


def _create_from_candidate(candidate: ImportCandidate, user) -> MerchantPage:
    source = candidate.source
    directory = directory_of(source.site)
    try:
        clean = clean_row(
            {k: str(v) for k, v in candidate.row.items()},
            line=candidate.line,
            centre=city_centre(source.site),
            categories=Categories(create=True),
            town=source.site.site_name or "",
            districts=Districts(source.site),
        )
    except RowError as error:
        raise ImportError_(str(error)) from error
    tree = Tree(directory)
    tree.lock()
    page = create_merchant(tree, clean, initiative=source.initiative, user=user)
    tree.finish()
    MerchantSourceRecord.objects.update_or_create(
        source=source,
        external_id=clean.external_id,
        defaults={"merchant": page, "created": True, "fingerprint": clean.fingerprint},
    )
    return page
