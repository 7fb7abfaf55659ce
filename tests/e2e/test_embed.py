"""A partner's embedded map in a real browser: it opens on the initiative's merchants, not on
the whole city, and its heading counts what the map shows."""

import pytest
from playwright.sync_api import expect

from directory.models import Initiative, MerchantPage

pytestmark = pytest.mark.django_db(transaction=True)

BOUNDS = "() => document.getElementById('city-map').cityMap.map.getBounds().toBBoxString()"


def test_the_embed_fits_to_the_initiatives_merchants(demo_city, live_server, visit):
    merchants = list(MerchantPage.objects.live().order_by("latitude", "longitude"))
    # Three neighbours in the north of the city form a new partner initiative.
    northern = merchants[-3:]
    hafen = Initiative.objects.create(name="Hafenquartier", slug="hafen", hashtag="#Hafen")
    for merchant in northern:
        merchant.initiatives.add(hafen)
        merchant.save_revision().publish()

    tab = visit({"width": 600, "height": 400})
    page = tab.page
    page.goto(live_server.url + "/embed/map/?initiative=hafen")

    expect(page.locator("#map-status")).to_have_text("3 Betriebe auf der Karte")
    expect(page.locator(".embed__title")).to_have_text("Hafenquartier")
    expect(page.locator(".embed__count")).to_contain_text("3")
    expect(page.locator(".embed__count")).to_contain_text("#Hafen")
    page.wait_for_function("() => document.getElementById('city-map').cityMap.loaded")
    west, south, east, north = (float(value) for value in page.evaluate(BOUNDS).split(","))

    def inside(merchant):
        lat, lng = float(merchant.latitude), float(merchant.longitude)
        return south <= lat <= north and west <= lng <= east

    assert all(inside(merchant) for merchant in northern)
    assert not all(inside(merchant) for merchant in merchants)  # not the whole city
    assert not inside(merchants[0])  # the southernmost merchant is out of view
    assert tab.console_errors == []
    assert tab.foreign_requests == []
