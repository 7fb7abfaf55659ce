"""Editors' and moderators' supporter walls: the messages supporters left for the merchants of
their city, to show on the walls of merchants without an owner (nobody else would) and to hide
anywhere. Merchants who own their page moderate their own wall on the income page."""

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

from .. import selectors, services
from ..models import SupportOrder
from ..rights import WALL_PERMISSION

INDEX_URL_NAME = "supporter_walls:index"


# Support orders are seen in the admin only here (and on the order's page, by its rights).
register_permission_policy(
    SupportOrder, OneRightPolicy(SupportOrder, WALL_PERMISSION), exact_class=True
)


class WallFilterSet(WagtailFilterSet):
    wall = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=SupportOrder.Wall.choices
    )
    has_owner = django_filters.BooleanFilter(
        label=gettext_lazy("Merchant has an account"), field_name="has_owner"
    )

    class Meta:
        model = SupportOrder
        fields = []


class WallActionsColumn(Column):
    """Show and hide, as small forms: what the editor may do with this message."""

    cell_template_name = "support/admin/wall_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context.update(
            csrf_token=get_token(request) if request else "",
            url=reverse("supporter_walls:moderate", args=[instance.pk]),
            next=list_url_with_query(request, INDEX_URL_NAME),
            may_show=not instance.has_owner and instance.wall != SupportOrder.Wall.SHOWN,
            may_hide=instance.wall != SupportOrder.Wall.HIDDEN,
        )
        return context


def _message(details: SupportOrder) -> str:
    return ": ".join(part for part in (details.supporter_name, details.supporter_message) if part)


def _owner(details: SupportOrder) -> str:
    return _("yes") if details.has_owner else _("no, editors moderate")


class WallIndexView(IndexView):
    page_title = gettext_lazy("Supporter walls")
    verbose_name = gettext_lazy("message")
    verbose_name_plural = gettext_lazy("messages")

    def get_base_queryset(self):
        return selectors.wall_moderation_entries(self.request.user)


def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Show or hide one message: only of the user's city, and shown only where no merchant
    account owns the page (services.wall_moderate_for_city)."""
    if not request.user.has_perm(WALL_PERMISSION):
        raise PermissionDenied
    back = back_to_list(request, INDEX_URL_NAME)
    if request.method != "POST":
        return redirect(back)
    details = get_object_or_404(selectors.wall_moderation_entries(request.user), pk=pk)
    decision = {"show": True, "hide": False}.get(request.POST.get("wall"))
    if decision is None:
        messages.error(request, _("Please choose show or hide."))
        return redirect(back)
    try:
        services.wall_moderate_for_city(details=details, shown=decision, user=request.user)
    except services.WallModerationRefused as error:
        messages.error(request, str(error))
    else:
        merchant = details.order.merchant.title
        if decision:
            messages.success(
                request, _("Shown on the wall of %(merchant)s.") % {"merchant": merchant}
            )
        else:
            messages.success(
                request, _("Hidden from the wall of %(merchant)s.") % {"merchant": merchant}
            )
    return redirect(back)


class WallViewSet(RowActionsViewSet):
    """The list of supporters' messages, with show and hide on each row: nothing to add, edit,
    inspect or delete."""

    model = SupportOrder
    name = "supporter_walls"
    url_prefix = "supporter-walls"
    icon = "comment"
    menu_label = gettext_lazy("Supporter walls")
    menu_order = 196
    right_codename = "moderate_supporter_wall"
    index_view_class = WallIndexView
    filterset_class = WallFilterSet
    list_display = [
        # The buttons come early: on a phone the table scrolls sideways.
        Column("merchant", label=gettext_lazy("Merchant"), accessor="order.merchant.title"),
        Column("message", label=gettext_lazy("Message"), accessor=_message),
        WallActionsColumn("actions", label=gettext_lazy("Actions")),
        Column("wall", label=gettext_lazy("Status"), accessor="get_wall_display"),
        Column("owner", label=gettext_lazy("Merchant has an account"), accessor=_owner),
        DateColumn("paid_at", label=gettext_lazy("Paid"), accessor="order.paid_at"),
    ]
    search_fields = ["supporter_name", "supporter_message", "order__merchant__title"]
    ordering = ["-order__paid_at", "-pk"]

    def action_urlpatterns(self):
        return [path("<int:pk>/moderate/", moderate, name="moderate")]
