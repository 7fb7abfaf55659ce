"""Editors and moderators moderate the supporter walls of their city's merchants: they show
messages on the walls of merchants without an owner and hide any message (support/rights.py)."""

from django.db import migrations

from core.grants import grant_to_groups

GRANTS = {"Editors": ["moderate_supporter_wall"], "Moderators": ["moderate_supporter_wall"]}


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
        migrations.RunPython(grant_to_groups("support", GRANTS), migrations.RunPython.noop),
    ]
