"""The map clusters in a Web Worker (static/js/map-worker.js): it fetches and parses the compact
points feed there, the page draws what it answers and names single markers from the labels
endpoint; a large feed is clustered there, not on the page."""

import json
import random
import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from directory.models import MerchantPage

from .conftest import KIOSK

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
KIOSK_POSITION = (51.50735, 7.4533)
LARGE_FEED = 20_000


def points_endpoint() -> str:
    try:
        return reverse("portal_api:map-points")
    except NoReverseMatch:
        pytest.skip("the compact feed (portal_api:map-points, issue 15's server side) is not there")


def large_feed(n: int) -> bytes:
    """n merchants around the demo city, as the compact feed answers them."""
    rnd = random.Random(15)  # noqa: S311 - positions for a test, not secrets
    rows = [
        [i, round(rnd.gauss(7.4653, 0.3), 5), round(rnd.gauss(51.5136, 0.2), 5), i % 8]
        for i in range(1, n + 1)
    ]
    feed = {"generation": "test", "categories": [f"c{i}" for i in range(8)], "points": rows}
    return json.dumps(feed, separators=(",", ":")).encode()


def cluster_map(page, script: str):
    return page.evaluate(f"(m => {script})(document.getElementById('city-map').cityMap)")


def test_the_worker_draws_clusters_and_markers_are_named_by_the_labels_endpoint(
    demo_city, live_server, visit
):
    points_endpoint()
    total = MerchantPage.objects.live().count()
    tab = visit(DESKTOP)
    page = tab.page
    asked = []
    page.on("request", lambda r: "/api/map/" in r.url and asked.append(r.url))
    page.goto(live_server.url + "/betriebe/")

    expect(page.locator("#map-status")).to_have_text(f"{total} Betriebe auf der Karte")
    expect(
        page.get_by_role("button", name=re.compile(r"^Gruppe mit \d+ Betrieben$")).first
    ).to_be_visible()
    assert len(tab.page.workers) == 1  # clustered off the main thread
    assert cluster_map(page, "!!m.points.worker") is True

    page.evaluate(
        "([lat, lng]) => document.getElementById('city-map').cityMap.map"
        ".setView([lat, lng], 18, {animate: false})",
        list(KIOSK_POSITION),
    )
    marker = page.get_by_role("button", name=KIOSK, exact=True)
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("title", KIOSK)
    labels = [url for url in asked if "/api/map/labels" in url]
    assert labels, asked  # the name came from the labels endpoint, not from the feed
    assert not [url for url in asked if "merchants.geojson" in url]  # the compact feed only
    # Fetched once: the preload that city_map.html starts while the page is read is the one used.
    assert len([url for url in asked if "/api/map/points" in url]) == 1, asked
    assert tab.console_errors == []


def test_a_large_feed_is_clustered_in_the_worker_not_on_the_page(demo_city, live_server, visit):
    """How long the main thread is blocked is measured by bench/scale.py, not asserted here: a
    loaded CI machine makes any bound flaky. What is checked is where the work happens."""
    endpoint = points_endpoint()
    body = large_feed(LARGE_FEED)
    tab = visit(DESKTOP)
    page = tab.page
    # The page asks the live server for its feed; this one answers with 20,000 merchants.
    page.route(
        re.compile(re.escape(endpoint) + r"(\?.*)?$"),
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )
    page.goto(live_server.url + "/betriebe/")

    expect(page.locator("#map-status")).to_have_text(
        f"{LARGE_FEED} Betriebe auf der Karte", timeout=15_000
    )
    expect(page.locator(".map-cluster").first).to_be_visible()
    # Pan and zoom once more: answered by the worker too.
    cluster_map(page, "m.map.setZoom(m.map.getZoom() + 2, {animate: false})")
    expect(page.locator(".map-cluster").first).to_be_visible()
    # The 20,000 points were parsed and clustered in the worker: the page holds no
    # Supercluster index and never loaded the library.
    assert cluster_map(page, "Boolean(m.points.worker) && !m.points.local")
    assert page.evaluate("typeof window.Supercluster") == "undefined"
    assert tab.console_errors == []
