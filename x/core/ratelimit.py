"""Per-client hourly counters in the shared cache: registrations, payment attempts, voucher
lookups.

The cache is shared between processes (Redis, or the database cache without REDIS_URL), so the
limits hold across every worker. When the cache is away (Redis refused or hanging: see
core/cache.py), the limits fail safe: each process counts in its own memory for the hour, so a
client still gets refused after the limit (at most once per worker process more, never
unlimited), and nobody is refused just because the cache is away. Counts kept in the process are
not carried into the cache when it is back; the cache's own count resumes.
"""

import ipaddress
import threading
import time

from django.conf import settings
from django.core.cache import cache

from core.cache import CacheUnavailable

HOUR = 60 * 60
IN_PROCESS_KEYS = 10_000  # a bound on the fallback's memory: beyond it, the oldest windows go

_in_process: dict[str, tuple[float, int]] = {}
_in_process_lock = threading.Lock()


def client_address(request) -> str:
    """The client's IP address. Each of the TRUSTED_PROXY_COUNT proxies in front of the portal
    appends the address it was reached from to X-Forwarded-For, so the client is that many
    entries from the right; whatever the client wrote further left is ignored. With no proxy
    (0, the default), or a header too short or not an address, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote


def over_limit(request, bucket: str, limit: int) -> bool:
    """Count one attempt of this client in `bucket`; True once it exceeds `limit` per hour."""
    return count_attempt(f"rate:{bucket}:{client_address(request)}") > limit


def count_attempt(key: str, *, window: int = HOUR) -> int:
    """Count one attempt under `key` for `window` seconds; the number of attempts so far. In the
    shared cache; in this process's memory while the cache is away (see the module's doc)."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except CacheUnavailable:
            raise
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            return 1
    except CacheUnavailable:
        return _count_in_process(key, window)


def _count_in_process(key: str, window: int) -> int:
    now = time.monotonic()
    with _in_process_lock:
        started, count = _in_process.get(key, (now, 0))
        if now - started >= window:
            started, count = now, 0
        _in_process[key] = (started, count + 1)
        if len(_in_process) > IN_PROCESS_KEYS:
            for old in sorted(_in_process, key=lambda k: _in_process[k][0])[
                : IN_PROCESS_KEYS // 10
            ]:
                del _in_process[old]
        return count + 1
