"""The offer-flag registry: the directory names no offer kind; whatever an app registers is a
filter on the map, the list and in search, and a badge on results."""

import orjson
import pytest
from django.core.exceptions import FieldDoesNotExist

from directory import offer_flags

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db

FEED = "/api/map/merchants.geojson"


@pytest.fixture
def menu_flag():
    """A throwaway kind of offer, stored in a boolean column no app uses as one."""
    with offer_flags.registered(
        "im-menu", label="Steht im Menü", badge="Menü-Abzeichen", field="show_in_menus"
    ) as flag:
        yield flag


@pytest.fixture
def merchants(directory_page):
    return {
        "with": MerchantPageFactory(parent=directory_page, title="Mit Flagge", show_in_menus=True),
        "without": MerchantPageFactory(parent=directory_page, title="Ohne Flagge"),
    }


def feed(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return {
        f["properties"]["name"]: f["properties"] for f in orjson.loads(response.content)["features"]
    }


def test_support_registers_its_offers_in_order():
    assert offer_flags.keys()[:3] == ["voucher", "donation", "campaign"]
    assert offer_flags.get("voucher").field == "has_voucher_offer"


def test_a_registered_flag_is_a_filter_of_the_feed(client, merchants, menu_flag):
    found = feed(client)
    assert "im-menu" in found["Mit Flagge"]["offers"]
    assert "im-menu" not in found["Ohne Flagge"]["offers"]
    assert set(feed(client, offers="im-menu")) == {"Mit Flagge"}
    detail = client.get(f"/api/map/merchants/{merchants['with'].pk}").json()
    assert "im-menu" in detail["offers"]


def test_a_registered_flag_is_a_filter_and_badge_of_the_list(
    client, directory_page, merchants, menu_flag
):
    html = client.get(directory_page.url).content.decode()
    assert 'name="offers" value="im-menu"' in html
    assert "Steht im Menü" in html
    assert html.count("Menü-Abzeichen") == 1  # the badge of the one merchant that has it

    html = client.get(directory_page.url, {"offers": "im-menu"}).content.decode()
    assert "Mit Flagge" in html
    assert "Ohne Flagge" not in html


def test_the_list_offers_only_flags_some_merchant_has(client, directory_page, merchants, menu_flag):
    merchants["with"].show_in_menus = False
    merchants["with"].save_revision().publish()
    html = client.get(directory_page.url).content.decode()
    assert 'value="im-menu"' not in html


def test_a_removed_flag_leaves_the_feed_at_once(client, merchants):
    with offer_flags.registered("im-menu", label="Steht im Menü", field="show_in_menus"):
        assert "im-menu" in feed(client)["Mit Flagge"]["offers"]
    # The cached feed of the moment before must not answer: the registry is part of its key.
    assert "im-menu" not in feed(client)["Mit Flagge"]["offers"]
    response = client.get(FEED, {"offers": "im-menu"})
    assert response.status_code == 400
    assert response.json()["error"] == "offers"
    assert "voucher" in response.json()["detail"]  # names the offers there are


def test_register_refuses_what_it_cannot_filter_on():
    with pytest.raises(FieldDoesNotExist):
        offer_flags.register("kaputt", label="Kaputt", field="has_no_such_column")
    with pytest.raises(ValueError, match="BooleanField"):
        offer_flags.register("kaputt", label="Kaputt", field="title")
    with pytest.raises(ValueError, match="lower-case"):
        offer_flags.register("Kaputt Ganz", label="Kaputt", field="show_in_menus")
    with pytest.raises(ValueError, match="registered already"):
        offer_flags.register("voucher", label="Andere Gutscheine", field="show_in_menus")
    assert "kaputt" not in offer_flags.keys()


def test_registering_the_same_flag_again_changes_nothing():
    voucher = offer_flags.get("voucher")
    version = offer_flags.version()
    again = offer_flags.register(
        "voucher",
        label=voucher.label,
        badge=voucher.badge,
        field=voucher.field,
        demo_share=voucher.demo_share,
    )
    assert again == voucher
    assert offer_flags.version() == version
