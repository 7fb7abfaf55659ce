"""Wagtail's Editors may see orders and the report; Moderators may also refund."""

from django.db import migrations

from core.grants import grant_to_groups

GRANTS = {"Editors": ["view_order"], "Moderators": ["view_order", "change_order"]}


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant_to_groups("payments", GRANTS), migrations.RunPython.noop)]
