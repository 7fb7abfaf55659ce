"""Editors and moderators moderate the supporter walls of their city's merchants: they show
messages on the walls of merchants without an owner and hide any message (support/rights.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Editors": ["moderate_supporter_wall"], "Moderators": ["moderate_supporter_wall"]}


def grant(apps, schema_editor):
    # Permissions are created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("support")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.AlterModelOptions(
            name="supportorder",
            options={
                "permissions": [("moderate_supporter_wall", "Can moderate supporters' walls")],
                "verbose_name": "support order",
                "verbose_name_plural": "support orders",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
