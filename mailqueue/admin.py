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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.permissions import register_permission_policy

from core.viewsets import OneRightPolicy, RowActionsViewSet, back_to_list, list_url_with_query

from . import services
from .models import QueuedMail

RESEND_PERMISSION = "mailqueue.resend_queuedmail"
INDEX_URL_NAME = "mails:index"


register_permission_policy(
    QueuedMail, OneRightPolicy(QueuedMail, RESEND_PERMISSION), exact_class=True
)


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
        context.update(
            csrf_token=get_token(request) if request else "",
            url=reverse("mails:resend", args=[instance.pk]),
            next=list_url_with_query(request, INDEX_URL_NAME),
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
    back = back_to_list(request, INDEX_URL_NAME)
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


class MailViewSet(RowActionsViewSet):
    model = QueuedMail
    name = "mails"
    url_prefix = "mails"
    icon = "mail"
    menu_label = gettext_lazy("E-mails")
    menu_order = 197
    right_codename = "resend_queuedmail"
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

    def action_urlpatterns(self):
        return [path("<int:pk>/resend/", resend, name="resend")]
