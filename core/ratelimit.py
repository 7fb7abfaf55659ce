"""Per-client hourly counters in the cache: registrations, payment attempts, voucher lookups."""

import ipaddress

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60


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
    key = f"rate:{bucket}:{client_address(request)}"
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count > limit
