"""Who may see and change orders: Wagtail's Editors see orders and the report, its Moderators
may also refund. The data migration grants this on an install; seed_demo and tests grant it
again after a flush (which empties groups' permissions)."""

from django.contrib.auth.models import Group, Permission

ORDER_RIGHTS = {"Editors": ["view_order"], "Moderators": ["view_order", "change_order"]}


def grant_group_rights(app_label: str, rights: dict[str, list[str]]) -> None:
    for name, codenames in rights.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def grant_order_rights() -> None:
    grant_group_rights("payments", ORDER_RIGHTS)
