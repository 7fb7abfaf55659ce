"""Wagtail's Moderators manage the merchants' payout accounts; Editors and merchants do not."""

from django.db import migrations

from core.grants import grant_to_groups

GRANTS = {"Moderators": ["add_payoutaccount", "change_payoutaccount", "delete_payoutaccount", "view_payoutaccount"]}


class Migration(migrations.Migration):
    dependencies = [("payments_stripe", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant_to_groups("payments_stripe", GRANTS), migrations.RunPython.noop)]
