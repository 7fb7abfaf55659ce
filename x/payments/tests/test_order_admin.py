"""Editors find an order by the number its buyer reads out ("Bestellnummer f2eba661")."""

import pytest
from django.urls import reverse

from payments.tests.utils import Buyer, place_gadget

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(merchant, site):
    erika = place_gadget(merchant=merchant, amount=1000, buyer=Buyer(), site=site)
    max_ = place_gadget(
        merchant=merchant, amount=2500, buyer=Buyer("Max Muster", "max@example.org"), site=site
    )
    return erika, max_


def listed(editor_client, query):
    response = editor_client.get(reverse("orders:index"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "{number}",
        "{number_upper}",
        "Bestellnummer {number}",
        "#{number}",
        "{reference}",
        "{number}-{rest4}",  # the first two groups, as copied from the admin header
    ],
)
def test_an_order_is_found_by_its_number(editor_client, orders, typed):
    erika, max_ = orders
    number = erika.number
    query = typed.format(
        number=number,
        number_upper=number.upper(),
        reference=erika.reference,
        rest4=str(erika.reference)[9:13],
    )
    page = listed(editor_client, query)
    assert erika.buyer_email in page or erika.buyer_name in page
    assert max_.buyer_name not in page


def test_the_list_shows_the_number_buyers_see(editor_client, orders):
    erika, max_ = orders
    page = listed(editor_client, "")
    assert erika.number in page and max_.number in page
    order_page = editor_client.get(reverse("payments:order", args=[erika.reference]))
    assert erika.number in order_page.content.decode()


def test_names_are_still_searched(editor_client, orders):
    erika, max_ = orders
    page = listed(editor_client, "Max Muster")
    assert max_.number in page and erika.number not in page


def test_hex_looking_words_do_not_break_the_search(editor_client, orders):
    # "cafe" is hex and a word: both readings are searched, neither fails
    assert listed(editor_client, "cafe") is not None
    assert listed(editor_client, "----") is not None
