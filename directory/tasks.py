"""Warm the map feeds after a change: the stored feeds of every city's unfiltered map (what the
map asks for first, directory/api.py map_points and merchants_geojson without parameters) are
rebuilt by a task, so the first visitor after a publish is served from the stored bytes.

Debounced: a change enqueues a warming only if none is pending (a cache key added with a short
timeout), deferred by WARM_DELAY seconds, so an import's thousand publishes enqueue one or two
warmings. The task frees the key before it builds, so a change during the build gets its own
warming. With the immediate backend (development, tests) nothing is warmed unless the setting
MAP_FEED_WARMING is true: there the task would run inline in every publish, and the next
visitor builds the feed anyway (directory/feed.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from core.tasks import retry_later

from . import feed
from .filters import MerchantFilters

logger = logging.getLogger(__name__)

PENDING_KEY = "map-feed:warming-pending"
# Seconds a burst of changes has to gather before the warming runs (the database backend).
WARM_DELAY = 5
# A pending warming that never ran (no worker) stops blocking new ones after this long.
PENDING_SECONDS = 300
# The points feed the map draws from first, and the GeoJSON feed integrators read.
WARMED_KINDS = ("points", "geojson")


def warming_enabled() -> bool:
    configured = getattr(settings, "MAP_FEED_WARMING", None)
    if configured is not None:
        return bool(configured)
    return warm_feeds.get_backend().supports_defer  # a real queue, not the immediate backend


def schedule_warming() -> bool:
    """Enqueue one warming unless one is pending. Returns whether it enqueued."""
    if not warming_enabled() or not cache.add(PENDING_KEY, 1, timeout=PENDING_SECONDS):
        return False
    try:
        if warm_feeds.get_backend().supports_defer:
            run_after = timezone.now() + timedelta(seconds=WARM_DELAY)
            warm_feeds.using(run_after=run_after).enqueue()
        else:
            warm_feeds.enqueue()
    except Exception:  # a change must not fail because the warming could not be queued
        cache.delete(PENDING_KEY)
        logger.exception("Could not enqueue the map feed warming")
        return False
    return True


def warm_default_feeds() -> int:
    """Build and cache every site's unfiltered feed; returns how many sites were warmed.

    The generation is renewed first: the change invalidated the feed before its transaction
    committed, and a visitor in between may have cached the old rows under the new token."""
    feed.invalidate()
    now = timezone.localtime()
    sites = Site.objects.select_related("root_page")
    for site in sites:
        for kind in WARMED_KINDS:
            feed.stored_feed(kind, site, MerchantFilters(), now)
    return len(sites)


@task()
def warm_feeds(attempt: int = 1) -> str:
    cache.delete(PENDING_KEY)  # changes from now on need a warming of their own
    try:
        return f"warmed {warm_default_feeds()} sites"
    except Exception as error:
        return retry_later(warm_feeds, attempt=attempt, error=error)


@task()
def run_import(job_id: int) -> str:
    """An import job started in the admin (directory/imports/jobs.py)."""
    from .imports.jobs import job_run  # not at the top: the imports use this module

    return job_run(job_id)
