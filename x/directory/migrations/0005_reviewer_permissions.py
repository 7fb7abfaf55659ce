"""Wagtail's Moderators decide registrations and deletion requests: they are the reviewers
who are told about them (directory.accounts.REVIEWERS_GROUP) and who approve merchants'
profile changes. Editors and merchants get none of these rights."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Moderators": [
        "view_registration",
        "change_registration",
        "view_merchantaccount",
        "delete_merchantaccount",
    ]
}


def grant(apps, schema_editor):
    # Permissions are created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="directory", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_merchant_accounts"), ("wagtailcore", "0002_initial_data")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
