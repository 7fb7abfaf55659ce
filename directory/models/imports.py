"""Partner imports: where merchants come from (a source with its licence), which merchant came
from which record of a source, and the likely duplicates waiting for a human."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .merchants import MerchantPage
from .snippets import Initiative


class ImportSource(models.Model):
    """A partner's or an open data set, imported once or again and again (refresh_hours)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        GEOJSON = "geojson", "GeoJSON"
        OSM = "osm", _("OpenStreetMap (Overpass JSON)")

    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("partner initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_sources",
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    url = models.URLField(_("address of the data"), blank=True)
    file = models.FileField(_("file"), upload_to="imports/", blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True, help_text="ODbL 1.0")
    licence_url = models.URLField(_("link to the licence"), blank=True)
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("Shown on the merchants' pages, e.g. '© OpenStreetMap-Mitwirkende'."),
    )
    refresh_hours = models.PositiveIntegerField(
        _("import again every … hours"), default=0, help_text=_("0: only by hand.")
    )
    last_run_at = models.DateTimeField(_("last import"), null=True, blank=True)
    last_report = models.JSONField(_("report of the last import"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import source")
        verbose_name_plural = _("import sources")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="import_source_site_name")
        ]

    def __str__(self):
        return self.name


class ImportJob(models.Model):
    """One run of a source's import, dry or for real, done in the background by the task
    directory.tasks.run_import: a big file takes minutes, longer than a request may. The admin
    shows its state until the report is there."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="jobs")
    dry_run = models.BooleanField(_("dry run"), default=True)
    create_categories = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    report = models.JSONField(_("report"), default=dict, blank=True)  # ImportReport.as_dict()
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class MerchantSourceRecord(models.Model):
    """Merchant `merchant` is record `external_id` of `source`: a re-import updates it."""

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="records")
    merchant = models.ForeignKey(
        MerchantPage, on_delete=models.CASCADE, related_name="source_records"
    )
    external_id = models.CharField(_("id in the source"), max_length=200)
    # False: the merchant was listed already and only got the source's initiative (a merge);
    # a re-import then leaves its fields alone, and its page names no source.
    created = models.BooleanField(default=True)
    fingerprint = models.CharField(max_length=64, blank=True)  # of the row imported last
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="source_record_external_id"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.external_id}"


class ImportCandidate(models.Model):
    """A row that looks like an existing merchant, not certainly: a human decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged into the existing merchant")
        CREATED = "created", _("created as a new merchant")
        SKIPPED = "skipped", _("skipped")

    source = models.ForeignKey(ImportSource, on_delete=models.CASCADE, related_name="candidates")
    row = models.JSONField(_("imported row"))
    line = models.PositiveIntegerField(_("line"))
    merchant = models.ForeignKey(
        MerchantPage,
        verbose_name=_("existing merchant"),
        on_delete=models.CASCADE,
        related_name="import_candidates",
    )
    reason = models.CharField(_("why it may be the same"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["status", "created_at"]
        indexes = [models.Index(fields=["source", "status"], name="import_candidate_open")]

    def __str__(self):
        return f"{self.row.get('name', '?')} ~ {self.merchant}"
