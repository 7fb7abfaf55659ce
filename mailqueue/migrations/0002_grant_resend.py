"""Editors and moderators see the e-mails and send failed ones again (mailqueue/admin.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editors": ["resend_queuedmail"], "Moderators": ["resend_queuedmail"]}


def grant(apps, schema_editor):
    # Permissions are created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("mailqueue")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="mailqueue", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("mailqueue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0002_initial_data"),  # Wagtail's Editors and Moderators groups
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
