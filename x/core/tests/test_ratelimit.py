"""Rate limits count per client: behind TRUSTED_PROXY_COUNT proxies the client's address is
taken from X-Forwarded-For, counted from the right so that a client cannot choose its own."""

import pytest
from django.test import RequestFactory

from core.ratelimit import client_address, over_limit

CLIENT, OTHER, PROXY, BALANCER = "203.0.113.7", "198.51.100.9", "10.0.0.2", "10.0.0.1"


def request(forwarded=None, remote=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.fixture(autouse=True)
def no_proxy_by_default(settings):
    settings.TRUSTED_PROXY_COUNT = 0


def test_without_proxies_the_header_is_ignored():
    assert client_address(request(f"{CLIENT}", remote=OTHER)) == OTHER


@pytest.mark.parametrize(
    ("hops", "forwarded", "client"),
    [
        (1, CLIENT, CLIENT),
        (1, f"1.2.3.4, {CLIENT}", CLIENT),  # what the client wrote itself is ignored
        (2, f"{CLIENT}, {BALANCER}", CLIENT),
        (2, f"1.2.3.4,{CLIENT} , {BALANCER}", CLIENT),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, CLIENT, PROXY),  # shorter than the proxies there are: not to be trusted
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
    ],
)
def test_the_client_is_counted_from_the_right(settings, hops, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = hops
    assert client_address(request(forwarded)) == client


def test_clients_behind_one_proxy_have_their_own_limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        assert not over_limit(request(CLIENT), "test", 3)
    assert over_limit(request(CLIENT), "test", 3)
    # Another resident behind the same proxy is not locked out ...
    assert not over_limit(request(OTHER), "test", 3)
    # ... and the first cannot escape its limit by sending a header of its own.
    assert over_limit(request(f"{OTHER}, {CLIENT}"), "test", 3)
