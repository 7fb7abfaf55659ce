"""The admin side of merchant accounts: editors review registrations and deletion requests;
merchants see their page's status on the dashboard and download or delete their data."""

import json

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import WorkflowState

from core.cities import in_cities_of, sites_for_user

from . import accounts
from .claims import claim_evidence
from .models import MerchantAccount, Registration


def registrations_of(user):
    """The registrations of the cities the user acts for (editors see their own city's)."""
    return Registration.objects.filter(site__in=sites_for_user(user))


def accounts_of(user):
    return MerchantAccount.objects.filter(in_cities_of(user, "page__path"))


class CityIndexView(IndexView):
    """The list holds only rows of the user's cities (the viewset's `rows_of(user)`)."""

    rows_of = None

    def get_base_queryset(self):
        return super().get_base_queryset() & type(self).rows_of(self.request.user)


class DecisionViewSet(ModelViewSet):
    """A filtered list whose rows open a decision page: nothing to add, edit or delete."""

    add_to_admin_menu = False  # shown in the "Merchants" group
    copy_view_enabled = False
    decision_view = None
    rows_of = None

    @property
    def index_view_class(self):
        return type(f"{self.name}Index", (CityIndexView,), {"rows_of": staticmethod(self.rows_of)})

    def get_common_view_kwargs(self, **kwargs):
        none = dict.fromkeys(["add_url_name", "history_url_name", "usage_url_name"])
        return super().get_common_view_kwargs(**{**none, "delete_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            # Named "edit" so that the list's links lead to the decision page.
            path("<int:pk>/", type(self).decision_view, name="edit"),
        ]


def _status_choices_with_counts(registrations):
    counts = dict(registrations.values_list("status").annotate(n=Count("pk")))
    return [
        (value, f"{capfirst(label)} ({counts.get(value, 0)})")
        for value, label in Registration.Status.choices
    ]


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Registration.Status.choices
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=Registration.Kind.choices
    )

    class Meta:
        model = Registration
        fields = ["status", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:  # counts of the editor's own cities only
            self.filters["status"].extra["choices"] = _status_choices_with_counts(
                registrations_of(user)
            )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the merchant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Sent with the decision. Required when you reject."),
    )


def review_registration(request, pk: int):
    if not request.user.has_perm("directory.change_registration"):
        raise PermissionDenied
    registration = get_object_or_404(
        registrations_of(request.user).select_related("category", "district", "claimed_page"),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        message = form.cleaned_data["message"]
        try:
            if decision == "approve":
                account = accounts.approve(registration.pk, request.user, message)
                messages.success(
                    request,
                    _("Approved: %(name)s can now log in.") % {"name": account.user.email},
                )
            elif decision == "reject":
                accounts.reject(registration.pk, request.user, message)
                messages.success(request, _("Rejected; the merchant has been told."))
            else:
                raise accounts.DecisionError(_("Please choose approve or reject."))
        except accounts.DecisionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("registrations:index")
    return render(
        request,
        "directory/admin/registration_review.html",
        {
            "registration": registration,
            "form": form,
            "evidence": (
                claim_evidence(registration, registration.claimed_page.specific)
                if registration.claimed_page
                else None
            ),
        },
        status=400 if form.errors else 200,
    )


class RegistrationViewSet(DecisionViewSet):
    model = Registration
    name = "registrations"
    icon = "user"
    menu_label = gettext_lazy("Registrations")
    list_display = ["business_name", "kind", "status", "city", "email", "created_at"]
    filterset_class = RegistrationFilterSet
    search_fields = ["business_name", "email", "contact_name", "street"]
    ordering = ["-created_at"]
    decision_view = staticmethod(review_registration)
    rows_of = staticmethod(registrations_of)


class DeletionFilterSet(WagtailFilterSet):
    deletion_requested = django_filters.BooleanFilter(
        label=gettext_lazy("Deletion requested"),
        field_name="deletion_requested_at",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = MerchantAccount
        fields = []


def review_account(request, pk: int):
    """A merchant account and its deletion request. Opening it needs only the right to view
    accounts (what Wagtail's Moderators have, besides delete, and what the list links with);
    erasing needs the right to delete them."""
    user = request.user
    if not user.has_perm("directory.view_merchantaccount") and not user.has_perm(
        "directory.delete_merchantaccount"
    ):
        raise PermissionDenied
    may_erase = user.has_perm("directory.delete_merchantaccount")
    if request.method == "POST" and not may_erase:
        raise PermissionDenied
    account = get_object_or_404(accounts_of(user).select_related("user", "page"), pk=pk)
    if request.method == "POST":
        if account.deletion_requested_at is None:
            messages.error(request, _("The merchant has not asked for deletion."))
        else:
            name = account.page.title
            accounts.erase(account.pk)
            messages.success(
                request,
                _("The account of %(name)s and its personal data are deleted.") % {"name": name},
            )
            return redirect(MerchantAccountViewSet().get_url_name("index"))
    return render(
        request,
        "directory/admin/account_review.html",
        {
            "account": account,
            "may_erase": may_erase,
            "index_url": reverse(MerchantAccountViewSet().get_url_name("index")),
        },
    )


class MerchantAccountViewSet(DecisionViewSet):
    model = MerchantAccount
    name = "merchant-accounts"
    icon = "group"
    menu_label = gettext_lazy("Merchant accounts")
    list_display = ["__str__", "created_at", "deletion_requested_at"]
    filterset_class = DeletionFilterSet
    search_fields = ["page__title", "user__email"]
    ordering = ["-deletion_requested_at", "page__title"]
    decision_view = staticmethod(review_account)
    rows_of = staticmethod(accounts_of)
    # The account's page is an inspect view: Wagtail links the list's rows to it for whoever
    # may view, delete or change accounts (Moderators have view and delete, not change).
    inspect_view_enabled = True

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"edit_url_name": None, **kwargs})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", review_account, name="inspect"),
        ]


class MerchantsViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Merchants")
    menu_icon = "group"
    menu_order = 190
    items = (RegistrationViewSet, MerchantAccountViewSet)


# --- what merchants see -------------------------------------------------------------------


def _own_account(request) -> MerchantAccount:
    account = getattr(request.user, "merchant_account", None)
    if account is None:
        raise Http404
    return account


def your_data(request):
    account = _own_account(request)
    if request.method == "POST":
        if accounts.request_deletion(account):
            messages.success(request, _("Your request has been sent; the editors will confirm it."))
        return redirect("directory_your_data")
    return render(request, "directory/admin/your_data.html", {"account": account})


def your_data_download(request):
    account = _own_account(request)
    response = HttpResponse(
        json.dumps(accounts.export(account), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


admin_urls = [
    path("your-data/", your_data, name="directory_your_data"),
    path("your-data/download/", your_data_download, name="directory_your_data_download"),
]


class MerchantPanel(Component):
    """The merchant's dashboard: their page, its state and what waits for review."""

    name = "merchant_page"
    order = 10
    template_name = "directory/admin/merchant_panel.html"

    def __init__(self, account: MerchantAccount):
        self.account = account

    def get_context_data(self, parent_context=None):
        page = self.account.page.specific
        workflow_state = page.current_workflow_state
        task_state = workflow_state.current_task_state if workflow_state else None
        needs_changes = (
            workflow_state is not None
            and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        )
        return {
            "page": page,
            "workflow_state": workflow_state,
            "task": task_state.task if task_state else None,
            # The editor sent it back: their comment is on the task they rejected.
            "needs_changes": needs_changes,
            "review_comment": task_state.comment if needs_changes and task_state else "",
            # As last saved: a moved marker waits in the draft until the page is approved.
            "needs_marker": accounts.position_is_approximate(page.get_latest_revision_as_object()),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "data_url": reverse("directory_your_data"),
        }
