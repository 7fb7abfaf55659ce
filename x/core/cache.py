"""Django's Redis cache, degrading instead of failing: a Redis outage is never a site outage.

When Redis refuses, hangs or drops the connection, every cache call behaves like a miss: `get`
returns the default, `set`/`add`/`delete`/`touch` do nothing (and say so: False), `get_many` is
empty, and `incr`/`decr` raise CacheUnavailable, a ValueError as for a missing key, so that callers
that start a fresh count on ValueError keep working (core/ratelimit.py catches it to count in the
process instead). The site computes what the cache would have held.

Short socket timeouts (settings.REDIS_SOCKET_TIMEOUT, in the cache's OPTIONS) bound a hanging
Redis, and after a failure the cache skips Redis for RETRY_AFTER seconds (a small circuit breaker,
per process and server), so a hanging Redis costs one timeout every few seconds, not one per call.
A warning is logged when Redis goes away, at most once a minute, and once when it is back.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER = 2.0  # seconds without trying Redis after a failure
WARN_EVERY = 60.0  # seconds between warnings while Redis stays away
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


class CacheUnavailable(ValueError):
    """incr/decr with the cache away: no count was kept."""


_lock = threading.Lock()
_down_until: dict[str, float] = {}
_warned_at: dict[str, float] = {}


class _Miss:
    """What a call answers with the cache away."""

    def __init__(self, value=None, error=None):
        self.value, self.error = value, error


class DegradingRedisCache(RedisCache):
    """RedisCache whose calls answer like a miss while Redis is unreachable."""

    @property
    def _breaker_key(self) -> str:
        return ",".join(self._servers)

    def _guarded(self, miss: _Miss, method, *args, **kwargs):
        key = self._breaker_key
        if time.monotonic() < _down_until.get(key, 0.0):
            return self._missed(miss)
        try:
            result = method(*args, **kwargs)
        except OUTAGE as error:
            self._went_away(key, error)
            return self._missed(miss)
        if key in _down_until:
            with _lock:
                if _down_until.pop(key, None) is not None:
                    _warned_at.pop(key, None)
                    logger.warning("The cache at %s answers again.", key)
        return result

    @staticmethod
    def _missed(miss: _Miss):
        if miss.error is not None:
            raise miss.error
        return miss.value

    @staticmethod
    def _went_away(key: str, error: Exception) -> None:
        now = time.monotonic()
        with _lock:
            _down_until[key] = now + RETRY_AFTER
            warn = now - _warned_at.get(key, -WARN_EVERY) >= WARN_EVERY
            if warn:
                _warned_at[key] = now
        if warn:
            logger.warning(
                "The cache at %s is unreachable (%s): serving without it, retrying every %.0f s.",
                key,
                error.__class__.__name__,
                RETRY_AFTER,
            )

    def get(self, key, default=None, version=None):
        return self._guarded(_Miss(default), super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(_Miss(), super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(_Miss(False), super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(_Miss(False), super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(_Miss(False), super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(_Miss({}), super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(_Miss(False), super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        unavailable = CacheUnavailable(f"The cache is unavailable: no count kept for {key!r}.")
        return self._guarded(_Miss(error=unavailable), super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)
        return self._guarded(_Miss(list(data)), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(_Miss(), super().delete_many, keys, version)

    def clear(self):
        return self._guarded(_Miss(False), super().clear)
