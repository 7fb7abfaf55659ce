"""ALLOWED_HOSTS that follow the configured Wagtail Sites: a city created while the portal runs
answers at once, without a restart, and no Host header outside the list gets in (never "*").

Django reads settings.ALLOWED_HOSTS on every request by iterating over it; SiteHosts is a list of
the fixed hosts (the ALLOWED_HOSTS variable) whose iteration adds the Sites' hostnames, read from
the database at most every REMEMBER_SECONDS per process and at once after a Site changes here."""

from __future__ import annotations

import logging
import threading
import time

from django.db import DatabaseError

logger = logging.getLogger(__name__)

REMEMBER_SECONDS = 30


class SiteHosts(list):
    def __init__(self, fixed):
        fixed = [host for host in fixed if host]
        if "*" in fixed:
            raise ValueError("ALLOWED_HOSTS must name hosts; '*' lets any Host header in.")
        super().__init__(fixed)
        self._lock = threading.Lock()
        self._sites: tuple[str, ...] = ()
        self._read_at = float("-inf")

    def forget(self) -> None:
        self._read_at = float("-inf")

    def _site_hosts(self) -> tuple[str, ...]:
        if time.monotonic() - self._read_at < REMEMBER_SECONDS:
            return self._sites
        with self._lock:
            from wagtail.models import Site  # settings import this module before apps load

            try:
                self._sites = tuple(
                    Site.objects.exclude(hostname="").values_list("hostname", flat=True).distinct()
                )
            except DatabaseError:  # the database's own 503 page follows; keep the last known
                logger.warning("Cannot read the sites' hostnames; using the last known ones.")
            self._read_at = time.monotonic()
        return self._sites

    def __iter__(self):
        yield from super().__iter__()
        yield from self._site_hosts()

    def __contains__(self, host) -> bool:
        return any(host == allowed for allowed in self)


def forget_site_hosts(**kwargs) -> None:
    """Signal receiver: a Site was saved or deleted, so read the hostnames again."""
    from django.conf import settings

    if isinstance(settings.ALLOWED_HOSTS, SiteHosts):
        settings.ALLOWED_HOSTS.forget()
