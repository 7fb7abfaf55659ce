"""Editors and moderators import their city's partner data and decide possible duplicates."""

from django.db import migrations

from core.grants import grant_to_groups

RIGHTS = [
    "add_importsource",
    "change_importsource",
    "view_importsource",
    "change_importcandidate",
    "view_importcandidate",
]
GRANTS = {"Editors": RIGHTS, "Moderators": RIGHTS}


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_imports"),
        ("wagtailcore", "0002_initial_data"),  # Wagtail's Editors and Moderators groups
    ]

    operations = [
        migrations.RunPython(grant_to_groups("directory", GRANTS), migrations.RunPython.noop)
    ]
