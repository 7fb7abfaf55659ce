"""Merchants written from imported rows: created live and unowned under the city's directory,
updated in place on a re-import, or given the source's initiative when they were there already.

New pages get their tree path from a counter the importer holds (Tree.next_path) instead of
treebeard's add_child, which asks the database for the parent's last child and rewrites the
parent's numchild on every page: the importer locks the directory row, hands out consecutive
paths and adds the count once per batch (as directory/generate.py does for benchmarks). The
new pages' log entries wait for the batch's end too, and go in one INSERT."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import Locale, Page, PageLogEntry, Revision

from core.text import german_slugify

from .. import geo
from ..models import DirectoryPage, MerchantOpeningHours, MerchantPage
from .validation import CleanRow


class Tree:
    """Tree paths, slugs and log entries for new children of `directory`; call inside the
    transaction that holds the directory's row lock (lock()), and finish() before it commits."""

    def __init__(self, directory: DirectoryPage):
        self.directory = directory
        self.added = 0

    def lock(self) -> None:
        parent = Page.objects.select_for_update().get(pk=self.directory.pk)
        last = parent.get_last_child()
        self.next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        self.added = 0
        self.slugs = None
        self.logs: list[PageLogEntry] = []

    def state(self) -> tuple:
        """What a row may change, for restore() when its savepoint is rolled back."""
        return self.next_step, self.added, len(self.logs)

    def restore(self, state: tuple) -> None:
        self.next_step, self.added, logged = state
        del self.logs[logged:]

    def log(self, page: MerchantPage, action: str, user, revision=None) -> None:
        """A log entry as wagtail.log_actions.log makes it, saved in finish() with the others:
        PageLogEntry.save() runs a full_clean that reads each of its foreign keys back."""
        context = get_active_log_context()
        self.logs.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.get_admin_display_title(),
                action=action,
                timestamp=timezone.now(),
                data={},
                page=page,
                revision=revision,
                user=user or context.user,
                uuid=context.uuid,
                content_changed=True,
            )
        )

    def next_path(self) -> str:
        return Page._get_path(self.directory.path, self.directory.depth + 1, self.next_step)

    def taken(self) -> None:
        self.next_step += 1
        self.added += 1

    def free_slug(self, name: str) -> str:
        if self.slugs is None:  # once per batch: the slugs of the directory's children
            self.slugs = set(self.directory.get_children().values_list("slug", flat=True))
        base = german_slugify(name)[:70] or "betrieb"
        slug, number = base, 2
        while slug in self.slugs:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def finish(self) -> None:
        if self.added:
            Page.objects.filter(pk=self.directory.pk).update(numchild=F("numchild") + self.added)
        self.added = 0
        PageLogEntry.objects.bulk_create(self.logs)
        self.logs = []


def _fill(page: MerchantPage, row: CleanRow) -> list[MerchantOpeningHours]:
    """The row's fields on the page; returns its opening hours, for the caller to save."""
    page.title = page.draft_title = row.name
    page.category, page.district = row.category, row.district
    page.street, page.postcode, page.city = row.street, row.postcode, row.town
    page.latitude, page.longitude = row.latitude, row.longitude
    page.location = geo.format_point(row.latitude, row.longitude)
    page.website, page.email, page.phone = row.website, row.email, row.phone
    page.intro = row.description
    page.hours_note = row.hours_note
    return [
        MerchantOpeningHours(weekday=i.weekday, opens=i.opens, closes=i.closes, sort_order=number)
        for number, i in enumerate(row.intervals)
    ]


def _content_of_new(page: MerchantPage, hours: list, initiatives: list) -> dict:
    """The revision content of a page saved just now for the first time, from memory: its
    children are the ones _fill gave it (saved with it) and its initiatives, every other child
    relation is empty. modelcluster would otherwise query each of its ten child relations."""
    children = {rel.get_accessor_name(): [] for rel in get_all_child_relations(page)}
    children["opening_hours"], children["initiatives"] = hours, initiatives
    page._cluster_related_objects = children
    try:
        return page.serializable_data()
    finally:
        del page._cluster_related_objects  # back to the database for anything after


def _publish(page: MerchantPage, user, content: dict | None = None) -> Revision:
    """A revision that is both the latest and the live one (the caller logs the publish). Not
    announced page by page: the importer sends signals.merchants_imported once per batch."""
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        user=user,
        content=content if content is not None else page.serializable_data(),
        object_str=str(page),
    )
    now = revision.created_at
    Page.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=now,
        has_unpublished_changes=False,
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at, page.has_unpublished_changes = now, False
    return revision


def create_merchant(tree: Tree, row: CleanRow, *, initiative, user) -> MerchantPage:
    directory, now = tree.directory, timezone.now()
    slug = tree.free_slug(row.name)
    page = MerchantPage(
        slug=slug,
        content_type=ContentType.objects.get_for_model(MerchantPage),
        path=tree.next_path(),
        depth=directory.depth + 1,
        numchild=0,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
        locale_id=directory.locale_id or Locale.get_default().pk,
        translation_key=uuid.uuid4(),
        owner=None,  # unowned: its page offers the claim flow
    )
    page._cached_parent_obj = directory  # Page.save() sets url_path from the parent
    hours = _fill(page, row)
    initiatives = [initiative] if initiative else []
    page.save(clean=False, log_action=None)  # validated row by row; logged below
    # A new page has no children to compare with: one INSERT each, where modelcluster would
    # read the relation and then save child by child.
    for item in hours:
        item.page = page
    MerchantOpeningHours.objects.bulk_create(hours)
    MerchantPage.initiatives.through.objects.bulk_create(
        MerchantPage.initiatives.through(merchantpage=page, initiative=i) for i in initiatives
    )
    tree.taken()
    tree.slugs.add(slug)
    revision = _publish(page, user, _content_of_new(page, hours, initiatives))
    tree.log(page, "wagtail.create", user)
    tree.log(page, "wagtail.publish", user, revision)
    return page


def update_merchant(page: MerchantPage, row: CleanRow, *, initiative, user) -> None:
    page.opening_hours = _fill(page, row)
    page.last_published_at = timezone.now()
    if initiative and initiative not in page.initiatives.all():
        page.initiatives.add(initiative)
    page.save(clean=False)
    revision = _publish(page, user)
    log(instance=page, action="wagtail.publish", user=user, revision=revision, content_changed=True)


def add_initiative(page: MerchantPage, initiative) -> bool:
    """The source's initiative on a merchant that was listed already. The live page gets it,
    and so does its latest draft: publishing that draft would otherwise take it away again
    (the initiatives are part of a revision's content). False if it had it already."""
    through = MerchantPage.initiatives.through
    _, created = through.objects.get_or_create(merchantpage_id=page.pk, initiative_id=initiative.pk)
    revision = page.latest_revision
    if revision is not None and revision.content.get("initiatives") is not None:
        ids = list(revision.content["initiatives"])
        if initiative.pk not in ids:
            revision.content["initiatives"] = [*ids, initiative.pk]
            revision.save(update_fields=["content"])
    return created
