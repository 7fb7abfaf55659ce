"""Wagtail's Moderators decide registrations and deletion requests: they are the reviewers
who are told about them (directory.accounts.REVIEWERS_GROUP) and who approve merchants'
profile changes. Editors and merchants get none of these rights."""

from django.db import migrations

from core.grants import grant_to_groups

GRANTS = {
    "Moderators": [
        "view_registration",
        "change_registration",
        "view_merchantaccount",
        "delete_merchantaccount",
    ]
}


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_merchant_accounts"), ("wagtailcore", "0002_initial_data")]
    operations = [migrations.RunPython(grant_to_groups("directory", GRANTS), migrations.RunPython.noop)]
