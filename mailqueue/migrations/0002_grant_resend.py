"""Editors and moderators see the e-mails and send failed ones again (mailqueue/admin.py)."""

from django.db import migrations

from core.grants import grant_to_groups

GRANTS = {"Editors": ["resend_queuedmail"], "Moderators": ["resend_queuedmail"]}


class Migration(migrations.Migration):
    dependencies = [
        ("mailqueue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0002_initial_data"),  # Wagtail's Editors and Moderators groups
    ]

    operations = [migrations.RunPython(grant_to_groups("mailqueue", GRANTS), migrations.RunPython.noop)]
