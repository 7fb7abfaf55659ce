"""A merchant's rights: Wagtail's own. One group per merchant holding `change` on their page
alone, admin access and their own image collection. No `add` anywhere, so Wagtail's owner rule
never lets a merchant create pages; publishing goes through the "Profilprüfung" workflow."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from ..models import MerchantAccount, MerchantPage, MerchantReviewTask

REVIEW_WORKFLOW = "Profilprüfung"  # names of data editors see, in the portal's first language
REVIEW_TASK = "Profil prüfen und freigeben"
REVIEWERS_GROUP = "Moderators"  # Wagtail's own group of those who approve page changes
MERCHANTS_COLLECTION = "Betriebe"
IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")


def grant_rights(user, page: MerchantPage) -> MerchantAccount:
    group = Group.objects.create(name=f"Betrieb {page.pk}: {page.title}"[:150])
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
    collection = _merchants_collection().add_child(name=f"{page.title} ({page.pk})")
    for codename in IMAGE_PERMISSIONS:
        GroupCollectionPermission.objects.create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    user.groups.add(group)
    ensure_review_workflow(page)
    return MerchantAccount.objects.create(user=user, page=page, group=group, collection=collection)


def _merchants_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=MERCHANTS_COLLECTION).first()
    return existing or root.add_child(name=MERCHANTS_COLLECTION)


def review_workflow() -> Workflow:
    """ "Profilprüfung", made on first use: one review task, approved by Wagtail's Moderators
    (every city) and the cities' own moderators (add_reviewers), each in their own city."""
    workflow = Workflow.objects.filter(name=REVIEW_WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=REVIEW_WORKFLOW)
        task = MerchantReviewTask.objects.create(name=REVIEW_TASK)
        task.groups.set(Group.objects.filter(name=REVIEWERS_GROUP))
        # Not workflow.workflow_tasks.create(): a modelcluster relation, it would not save.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def review_task() -> MerchantReviewTask | None:
    """The review step, if the workflow was made (reading it never makes it)."""
    return MerchantReviewTask.objects.filter(workflow_tasks__workflow__name=REVIEW_WORKFLOW).first()


def add_reviewers(group: Group) -> None:
    """A city's moderators review its merchants' changes (MerchantReviewTask keeps them to it)."""
    review_workflow()
    task = review_task()
    if task is not None:  # None only if an editor took the task out of the workflow
        task.groups.add(group)


def ensure_review_workflow(page: MerchantPage) -> Workflow:
    """Merchants' changes go through "Profilprüfung" (moderators approve; the merchant may
    keep editing meanwhile), assigned to the directory unless editors gave it another workflow."""
    workflow = review_workflow()
    directory = page.get_parent()
    WorkflowPage.objects.get_or_create(page=directory, defaults={"workflow": workflow})
    return workflow
