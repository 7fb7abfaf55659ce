"""Keep the cached map feed fresh: any change a visitor could see on the map invalidates it,
and once the change is committed a (debounced) task builds the default feed again
(directory/tasks.py), so the first visitor after a publish finds it warm."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import cache_headers

from . import feed, tasks
from .models import Category, District, ImportSource, Initiative, MerchantPage

# Sent by an import once per batch of merchants it created, updated or gave an initiative
# (directory/imports), with their `page_ids`: what page_published would have said for each,
# in one go. An import never changes offers, so the offer flags have nothing to follow.
merchants_imported = Signal()


def invalidate_feed(sender, **kwargs):
    feed.invalidate()
    transaction.on_commit(tasks.schedule_warming)


def connect():
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(invalidate_feed, sender=MerchantPage, dispatch_uid=f"feed-{id(signal)}")
    # Moving any page may change merchants' URLs (a directory moved with its merchants).
    post_page_move.connect(invalidate_feed, dispatch_uid="feed-move")
    merchants_imported.connect(invalidate_feed, dispatch_uid="feed-import")
    merchants_imported.connect(cache_headers.invalidate, dispatch_uid="page-cache-import")
    # Private pages (view restrictions) leave the map and search; a site's host or root page
    # decides which merchants its feeds show (directory/feed.py site_for).
    # An import source's licence is its merchants' licence in the open data export.
    for model in (Category, District, ImportSource, Initiative, PageViewRestriction, Site):
        post_save.connect(invalidate_feed, sender=model, dispatch_uid=f"feed-save-{model}")
        post_delete.connect(invalidate_feed, sender=model, dispatch_uid=f"feed-delete-{model}")
