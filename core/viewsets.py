"""The shared base of the admin's list-only viewsets (supporter walls, e-mails): a list with
actions on each row, behind one right of its own; nothing to add, edit, copy, inspect or
delete."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy


class OneRightPolicy(ModelPermissionPolicy):
    """Looking at the list and acting on its rows take one right, whatever the action."""

    def __init__(self, model, right: str):
        super().__init__(model)
        self.right = right

    def user_has_permission(self, user, action):
        return action in ("view", "change") and user.has_perm(self.right)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class RowActionsViewSet(ModelViewSet):
    """Subclasses name `right_codename` (the one permission registered for the group editor)
    and add their row actions' URLs in `action_urlpatterns()`."""

    right_codename = ""
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        none = dict.fromkeys(
            ["add_url_name", "edit_url_name", "history_url_name", "usage_url_name"]
        )
        return super().get_common_view_kwargs(**{**none, "delete_url_name": None, **kwargs})

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().filter(codename=self.right_codename)

    def action_urlpatterns(self) -> list:
        return []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            *self.action_urlpatterns(),
        ]


def back_to_list(request, index_url_name: str) -> str:
    """Where a row action returns: the list as the editor left it (filters, page), if `next`
    stays on this site, else the plain list."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse(index_url_name)


def list_url_with_query(request, index_url_name: str) -> str:
    query = request.GET.urlencode() if request else ""
    return reverse(index_url_name) + (f"?{query}" if query else "")
