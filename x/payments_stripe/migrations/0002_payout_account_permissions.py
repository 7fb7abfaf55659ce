"""Wagtail's Moderators manage the merchants' payout accounts; Editors and merchants do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"Moderators": ["add_payoutaccount", "change_payoutaccount", "delete_payoutaccount", "view_payoutaccount"]}


def grant(apps, schema_editor):
    # Permissions are created after all migrations ran; this one needs them now.
    app_config = apps.get_app_config("payments_stripe")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="payments_stripe", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("payments_stripe", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
