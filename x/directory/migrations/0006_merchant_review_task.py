"""The merchants' review task keeps their page editable while it waits (MerchantReviewTask).
An install whose "Profil prüfen und freigeben" task is still Wagtail's GroupApprovalTask gets it
turned into the new type in place: same row, groups and task states."""

import django.db.models.deletion
from django.db import migrations, models

REVIEW_TASK = "Profil prüfen und freigeben"  # directory.accounts.rights.REVIEW_TASK, frozen


def convert_review_task(apps, schema_editor):
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    MerchantReviewTask = apps.get_model("directory", "MerchantReviewTask")
    Task = apps.get_model("wagtailcore", "Task")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="directory", model="merchantreviewtask"
    )
    for task in GroupApprovalTask.objects.filter(name=REVIEW_TASK):
        if MerchantReviewTask.objects.filter(pk=task.pk).exists():
            continue
        child = MerchantReviewTask(groupapprovaltask_ptr_id=task.pk)
        child.save_base(raw=True)  # the child row only: the parents exist
        Task.objects.filter(pk=task.pk).update(content_type=content_type)


def convert_back(apps, schema_editor):
    # The rows stay GroupApprovalTasks; dropping the model's table removes the child rows.
    Task = apps.get_model("wagtailcore", "Task")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group_approval, _created = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    ids = list(
        apps.get_model("directory", "MerchantReviewTask").objects.values_list("pk", flat=True)
    )
    Task.objects.filter(pk__in=ids).update(content_type=group_approval)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_reviewer_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="MerchantReviewTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "merchant profile review",
                "verbose_name_plural": "merchant profile reviews",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(convert_review_task, convert_back),
    ]
