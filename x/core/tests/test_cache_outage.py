"""With Redis refused or hanging the cache answers like a miss, quickly, and rate limits still
refuse after the limit (core/cache.py, core/ratelimit.py). The pages themselves: tests/."""

import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import RequestFactory

from core import ratelimit
from core.testing import HangingServer, redis_cache_at


@pytest.fixture(params=["refused", "hanging"])
def redis_away(request, settings):
    """The default cache is a Redis that refuses connections, or one that accepts and never
    answers."""
    if request.param == "refused":
        settings.CACHES = redis_cache_at("redis://127.0.0.1:1/0")
        yield request.param
        return
    with HangingServer() as server:
        settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{server.port}/0")
        yield request.param


def test_every_call_answers_like_a_miss(redis_away):
    cache.set("greeting", "hello")
    assert cache.get("greeting") is None
    assert cache.get("greeting", "default") == "default"
    assert cache.add("greeting", "hello") is False
    assert cache.get_or_set("token", lambda: "computed") == "computed"
    assert cache.get_many(["greeting", "token"]) == {}
    assert cache.has_key("greeting") is False
    assert cache.delete("greeting") is False
    cache.delete_many(["greeting"])
    cache.set_many({"a": 1})
    cache.touch("greeting")
    with pytest.raises(ValueError):
        cache.incr("greeting")
    with pytest.raises(ValueError):
        cache.decr("greeting")


def test_a_hanging_redis_costs_one_short_timeout_not_one_per_call(redis_away):
    started = time.monotonic()
    for i in range(200):
        cache.get(f"key-{i}")
        cache.set(f"key-{i}", i)
    assert time.monotonic() - started < 1.5  # one socket timeout (0.3 s), then skipped


def test_the_rate_limit_still_refuses_after_the_limit(redis_away):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    bucket = f"outage-{uuid.uuid4().hex}"  # counts kept in this process live for the hour
    answers = [ratelimit.over_limit(request, bucket, limit=3) for _ in range(5)]
    assert answers == [False, False, False, True, True]
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.11")
    assert ratelimit.over_limit(other, bucket, limit=3) is False


def test_the_in_process_count_starts_again_after_its_window(redis_away):
    key = f"rate:outage-{uuid.uuid4().hex}"
    assert [ratelimit.count_attempt(key, window=1) for _ in range(3)] == [1, 2, 3]
    time.sleep(1.1)
    assert ratelimit.count_attempt(key, window=1) == 1


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs a running Redis (REDIS_URL)")
def test_with_redis_up_it_is_the_ordinary_redis_cache(settings):
    settings.CACHES = redis_cache_at(django_settings.REDIS_URL)
    key = f"portal-tests-outage-{uuid.uuid4().hex}"
    try:
        cache.set(key, "hello")
        assert cache.get(key) == "hello"
        assert ratelimit.count_attempt(key + "-count") == 1
        assert ratelimit.count_attempt(key + "-count") == 2
        assert cache.get(key + "-count") == 2  # counted in Redis, not in the process
    finally:
        cache.delete_many([key, key + "-count"])
