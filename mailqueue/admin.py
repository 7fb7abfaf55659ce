"""Editors' list of e-mails: what is waiting, what failed for good (with the error the mail server
gave) and a button to send a failed mail again. Nothing to add, edit or delete."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .models import QueuedMail

RESEND_PERMISSION = "mailqueue.resend_queuedmail"
INDEX_URL_NAME = "mails:index"


class MailPermissionPolicy(ModelPermissionPolicy):
    """Seeing the mails and sending failed ones again take one right of its own."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and user.has_perm(RESEND_PERMISSION)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(QueuedMail, MailPermissionPolicy(QueuedMail), exact_class=True)


class MailFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=QueuedMail.Status.choices
    )

    class Meta:
        model = QueuedMail
        fields = []


class ResendColumn(Column):
    cell_template_name = "mailqueue/admin/resend_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        query = request.GET.urlencode() if request else ""
        context.update(
            csrf_token=get_token(request) if request else "",
            url=reverse("mails:resend", args=[instance.pk]),
            next=reverse(INDEX_URL_NAME) + (f"?{query}" if query else ""),
            may_resend=instance.status == QueuedMail.Status.FAILED,
        )
        return context


class MailIndexView(IndexView):
    page_title = gettext_lazy("E-mails")
    verbose_name = gettext_lazy("e-mail")
    verbose_name_plural = gettext_lazy("e-mails")


def resend(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(RESEND_PERMISSION):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse(INDEX_URL_NAME)
    if request.method != "POST":
        return redirect(back)
    mail = get_object_or_404(QueuedMail, pk=pk)
    if services.mail_resend(mail=mail):
        messages.success(
            request, _("The e-mail to %(to)s is being sent again.") % {"to": mail.recipients}
        )
    else:
        messages.error(request, _("Only a failed e-mail can be sent again."))
    return redirect(back)


def _error(mail: QueuedMail) -> str:
    return mail.last_error.splitlines()[0][:200] if mail.last_error else ""


class MailViewSet(ModelViewSet):
    model = QueuedMail
    name = "mails"
    url_prefix = "mails"
    icon = "mail"
    menu_label = gettext_lazy("E-mails")
    menu_order = 197
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = MailIndexView
    filterset_class = MailFilterSet
    list_display = [
        Column("subject", label=gettext_lazy("Subject")),
        Column("recipients", label=gettext_lazy("To")),
        ResendColumn("actions", label=gettext_lazy("Actions")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("attempts", label=gettext_lazy("Attempts")),
        Column("error", label=gettext_lazy("Last error"), accessor=_error),
        DateColumn("created_at", label=gettext_lazy("Queued")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    search_fields = ["subject", "to"]
    ordering = ["-created_at", "-pk"]

    def get_common_view_kwargs(self, **kwargs):
        none = dict.fromkeys(
            ["add_url_name", "edit_url_name", "history_url_name", "usage_url_name"]
        )
        return super().get_common_view_kwargs(**{**none, "delete_url_name": None, **kwargs})

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename="resend_queuedmail")

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/resend/", resend, name="resend"),
        ]
