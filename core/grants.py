"""Data migrations that give Wagtail's groups (Editors, Moderators) an app's permissions."""

from django.contrib.auth.management import create_permissions


def grant_to_groups(app_label: str, grants: dict[str, list[str]]):
    """A RunPython function giving each named group, where it exists, those codenames."""

    def grant(apps, schema_editor):
        # Permissions are created after all migrations ran; this migration needs them now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
        for name, codenames in grants.items():
            group = Group.objects.filter(name=name).first()
            if group:
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )

    return grant
