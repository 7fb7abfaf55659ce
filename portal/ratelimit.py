"""Per-client hourly counters in the cache: registrations, payment attempts, voucher lookups."""

from django.core.cache import cache

HOUR = 60 * 60


def over_limit(request, bucket: str, limit: int) -> bool:
    """Count one attempt of this client in `bucket`; True once it exceeds `limit` per hour."""
    key = f"rate:{bucket}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count > limit
