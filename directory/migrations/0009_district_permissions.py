"""Editors and moderators keep their city's districts (the admin shows each its own city's)."""

from django.db import migrations

from core.grants import grant_to_groups

ACTIONS = ("add", "change", "delete", "view")
GRANTS = {
    "Editors": [f"{action}_district" for action in ACTIONS],
    "Moderators": [f"{action}_district" for action in ACTIONS],
}


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0008_districts_per_city_one_settings"),
        ("wagtailcore", "0002_initial_data"),  # Wagtail's Editors and Moderators groups
    ]

    operations = [
        migrations.RunPython(grant_to_groups("directory", GRANTS), migrations.RunPython.noop)
    ]
