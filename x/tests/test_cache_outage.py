"""A Redis outage is not a site outage: with Redis refused, or accepting and never answering,
the public pages, the map feed and the API answer, quickly, and the balance lookups stay
rate-limited (core/cache.py, core/ratelimit.py)."""

import time

import pytest
from django.urls import reverse

from core.testing import HangingServer, redis_cache_at
from directory.tests.factories import MerchantPageFactory
from support.models import VoucherOffer

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["refused", "hanging"])
def redis_away(request, settings):
    if request.param == "refused":
        settings.CACHES = redis_cache_at("redis://127.0.0.1:1/0")
        yield request.param
        return
    with HangingServer() as server:
        settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{server.port}/0")
        yield request.param


@pytest.fixture
def kiosk(directory_page):
    page = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    VoucherOffer.objects.create(page=page, fixed_values=[1000, 2500])
    return page


def public_urls(directory_page, kiosk):
    return [
        "/",
        directory_page.url,
        kiosk.url,
        "/api/map/merchants.geojson",
        "/api/map/merchants.geojson?q=Kiosk",
        reverse("search:search") + "?q=Kiosk",
        reverse("support:voucher_balance"),
        reverse("support:checkout", args=[kiosk.pk, "gutschein"]),
        reverse("directory:register"),
        "/api/v2/pages/",
        "/api/v2/pages/?search=Kiosk",
    ]


def test_public_pages_answer_while_redis_is_away(client, redis_away, directory_page, kiosk):
    started = time.monotonic()
    for url in public_urls(directory_page, kiosk):
        response = client.get(url)
        assert response.status_code == 200, url
    assert time.monotonic() - started < 4  # about 1.5 s here: eleven pages rendered
    assert b"Kiosk an der M" in client.get("/api/map/merchants.geojson").content


def test_a_hanging_redis_costs_each_page_at_most_one_short_timeout(
    client, settings, directory_page, kiosk
):
    with HangingServer() as server:
        settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{server.port}/0")
        for url in public_urls(directory_page, kiosk):
            started = time.monotonic()
            assert client.get(url).status_code == 200, url
            assert time.monotonic() - started < 2, url


def test_balance_lookups_stay_limited_while_redis_is_away(client, redis_away, home_page, settings):
    settings.VOUCHER_LOOKUP_RATE_LIMIT = 3
    url = reverse("support:voucher_balance")
    # An address of this test's own: counts kept in the process while the cache is away last
    # the hour.
    address = "192.0.2.21" if redis_away == "refused" else "192.0.2.22"
    answers = [
        client.post(url, {"code": "2222 3333 4444 5555 6666"}, REMOTE_ADDR=address).status_code
        for _ in range(4)
    ]
    assert answers == [404, 404, 404, 429]
