"""Merchants written from imported rows: created live and unowned under the city's directory,
updated in place on a re-import, or given the source's initiative when they were there already.

New pages get their tree path from a counter the importer holds (Tree.next_path) instead of
treebeard's add_child, which asks the database for the parent's last child and rewrites the
parent's numchild on every page: the importer locks the directory row, hands out consecutive
paths and adds the count once per batch (as directory/generate.py does for benchmarks)."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Revision

from core.text import german_slugify

from .. import geo
from ..models import DirectoryPage, MerchantOpeningHours, MerchantPage
from .validation import CleanRow


class Tree:
    """Tree paths and slugs for new children of `directory`; call inside the transaction that
    holds the directory's row lock (lock()), and finish() before it commits."""

    def __init__(self, directory: DirectoryPage):
        self.directory = directory
        self.added = 0

    def lock(self) -> None:
        parent = Page.objects.select_for_update().get(pk=self.directory.pk)
        last = parent.get_last_child()
        self.next_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        self.added = 0
        self.slugs = None

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


def _fill(page: MerchantPage, row: CleanRow) -> None:
    page.title = page.draft_title = row.name
    page.category, page.district = row.category, row.district
    page.street, page.postcode, page.city = row.street, row.postcode, row.town
    page.latitude, page.longitude = row.latitude, row.longitude
    page.location = geo.format_point(row.latitude, row.longitude)
    page.website, page.email, page.phone = row.website, row.email, row.phone
    page.intro = row.description
    page.hours_note = row.hours_note
    page.opening_hours = [
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


def _publish(page: MerchantPage, user, action: str, content: dict | None = None) -> None:
    """A revision that is both the latest and the live one, logged as a publish. Not announced
    page by page: the importer sends signals.merchants_imported once per batch instead."""
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
    log(instance=page, action=action, user=user, revision=revision)


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
    _fill(page, row)
    initiatives = [initiative] if initiative else []
    page.initiatives = initiatives
    hours = list(page.opening_hours.all())  # in memory: the page is not saved yet
    page.save(clean=False, user=user)  # validated row by row; logged as created by the user
    tree.taken()
    tree.slugs.add(slug)
    _publish(page, user, "wagtail.publish", _content_of_new(page, hours, initiatives))
    return page


def update_merchant(page: MerchantPage, row: CleanRow, *, initiative, user) -> None:
    _fill(page, row)
    page.last_published_at = timezone.now()
    if initiative and initiative not in page.initiatives.all():
        page.initiatives.add(initiative)
    page.save(clean=False)
    _publish(page, user, "wagtail.publish")


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
