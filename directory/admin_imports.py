"""The admin side of partner imports and new cities: an editor uploads a partner's file for one
of their cities, sees what the import would do (a dry run) and then imports it, both as
background jobs whose page shows their state until the report is there; likely duplicates wait
in a review queue with both entries side by side; superusers create a city."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.cities import sites_for_user
from core.geo import validate_coordinates

from .cities import city_create, read_districts
from .imports.jobs import job_start
from .imports.services import ImportError_, candidate_resolve
from .models import ImportCandidate, ImportJob, ImportSource, Initiative

IMPORT_PERMISSION = "directory.add_importsource"
REVIEW_PERMISSION = "directory.change_importcandidate"
MAX_UPLOAD = 50 * 1024 * 1024


class UploadForm(forms.Form):
    site = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=100,
        help_text=gettext_lazy(
            "Who the data comes from, e.g. #helpyourhometown. Importing the "
            "same source again updates its merchants."
        ),
    )
    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Partner initiative"), queryset=Initiative.objects.all(), required=False
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ImportSource.Format.choices)
    file = forms.FileField(label=gettext_lazy("File"))
    licence = forms.CharField(label=gettext_lazy("Licence"), max_length=100, required=False)
    attribution = forms.CharField(label=gettext_lazy("Attribution"), max_length=300, required=False)
    create_categories = forms.BooleanField(
        label=gettext_lazy("Create unknown categories"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for_user(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 50 MB."))
        return upload


def _may_import(user) -> bool:
    return user.has_perm(IMPORT_PERMISSION)


def upload(request):
    """Step one: the file is kept with its source and tried in a dry run, nothing written."""
    if not _may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source, _created = ImportSource.objects.get_or_create(
            site=data["site"], name=data["name"], defaults={"format": data["format"]}
        )
        source.format, source.initiative = data["format"], data["initiative"]
        source.licence = data["licence"] or source.licence
        source.attribution = data["attribution"] or source.attribution
        source.file.save(data["file"].name, data["file"], save=False)
        source.save()
        job = job_start(
            source=source,
            dry_run=True,
            create_categories=data["create_categories"],
            user=request.user,
        )
        return redirect("directory_import_job", job.pk)
    return render(
        request,
        "directory/admin/import_upload.html",
        {
            "form": form,
            "open_candidates": _candidates(request.user).count(),
            "jobs": _jobs(request.user).order_by("-created_at")[:10],
        },
        status=400 if form.errors else 200,
    )


def run(request, pk: int):
    """Step two: the same file, imported for real."""
    if not _may_import(request.user) or request.method != "POST":
        raise PermissionDenied
    source = get_object_or_404(
        ImportSource.objects.filter(site__in=sites_for_user(request.user)), pk=pk
    )
    try:
        job = job_start(
            source=source,
            dry_run=False,
            create_categories=request.POST.get("create_categories") == "on",
            user=request.user,
        )
    except ImportError_ as error:
        messages.error(request, str(error))
        return redirect("directory_import")
    return redirect("directory_import_job", job.pk)


def _jobs(user):
    return ImportJob.objects.filter(source__site__in=sites_for_user(user)).select_related("source")


def job(request, pk: int):
    """A job's state while it waits or runs (the page reloads itself), then its report."""
    if not _may_import(request.user):
        raise PermissionDenied
    job = get_object_or_404(_jobs(request.user), pk=pk)
    return render(
        request,
        "directory/admin/import_preview.html",
        {"job": job, "source": job.source, "report": job.report, "refresh_seconds": 3},
    )


def _candidates(user):
    return ImportCandidate.objects.filter(
        source__site__in=sites_for_user(user), status=ImportCandidate.Status.OPEN
    ).select_related("source", "merchant")


def review(request):
    """The queue of likely duplicates, each with the imported row beside the listed merchant."""
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    return render(
        request,
        "directory/admin/import_review.html",
        {"candidates": _candidates(request.user).order_by("created_at", "pk")[:100]},
    )


def decide(request, pk: int):
    if not request.user.has_perm(REVIEW_PERMISSION) or request.method != "POST":
        raise PermissionDenied
    candidate = get_object_or_404(_candidates(request.user), pk=pk)
    action = request.POST.get("action")
    if action not in ("merge", "create", "skip"):
        messages.error(request, _("Please choose merge, create or skip."))
        return redirect("directory_import_review")
    try:
        candidate_resolve(candidate=candidate, action=action, user=request.user)
    except ImportError_ as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decided: %(name)s.") % {"name": candidate.row.get("name", "")})
    return redirect("directory_import_review")


class CityForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("City"), max_length=100)
    hostname = forms.CharField(
        label=gettext_lazy("Hostname"),
        max_length=255,
        help_text=gettext_lazy("e.g. bochum.example.org"),
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude of the map centre"), max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude of the map centre"), max_digits=9, decimal_places=6
    )
    zoom = forms.IntegerField(
        label=gettext_lazy("Zoom level"), min_value=3, max_value=18, initial=13
    )
    districts = forms.FileField(
        label=gettext_lazy("Districts"),
        required=False,
        help_text=gettext_lazy("CSV (name,latitude,longitude) or GeoJSON."),
    )

    def clean(self):
        data = super().clean()
        if data.get("latitude") is not None and data.get("longitude") is not None:
            try:
                validate_coordinates(data["latitude"], data["longitude"])
            except ValidationError as error:
                self.add_error("latitude", error)
        upload = data.get("districts")
        if upload:
            try:
                data["district_rows"] = read_districts(upload.read().decode("utf-8-sig"))
            except UnicodeDecodeError:
                self.add_error("districts", _("Please upload the file in UTF-8."))
            except ValidationError as error:
                self.add_error("districts", error)
        return data


def create_city(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    form = CityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = city_create(
                name=data["name"],
                hostname=data["hostname"],
                centre=(Decimal(data["latitude"]), Decimal(data["longitude"])),
                zoom=data["zoom"],
                districts=data.get("district_rows", []),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outcome.changed:
                messages.success(
                    request,
                    _("%(city)s is ready: %(what)s.")
                    % {"city": data["name"], "what": ", ".join(outcome.created)},
                )
            else:
                messages.info(
                    request,
                    _("%(city)s existed already: nothing changed.") % {"city": data["name"]},
                )
            return redirect(reverse("wagtailadmin_explore", args=[outcome.site.root_page_id]))
    return render(
        request,
        "directory/admin/create_city.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


admin_urls = [
    path("imports/", upload, name="directory_import"),
    path("imports/<int:pk>/run/", run, name="directory_import_run"),
    path("imports/jobs/<int:pk>/", job, name="directory_import_job"),
    path("imports/review/", review, name="directory_import_review"),
    path("imports/review/<int:pk>/", decide, name="directory_import_decide"),
    path("cities/new/", create_city, name="directory_create_city"),
]
