"""A limited stock cannot be held without paying: one client (address or e-mail) holds at most
SUPPORT_OPEN_RESERVATIONS_PER_CLIENT unpaid orders of an offer, and an unpaid order without a
payment under way lets its voucher go after a few minutes' grace; real buyers still buy."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from payments import services as payments
from payments.models import Order
from support import selectors, services
from support.models import VoucherOffer

pytestmark = pytest.mark.django_db

REFUSED = "Sie haben schon unbezahlte Bestellungen dieser Gutscheine"


@pytest.fixture
def limited(merchant, settings):
    """The kiosk's vouchers, five of them, published; two open orders per client."""
    settings.SUPPORT_OPEN_RESERVATIONS_PER_CLIENT = 2
    settings.PAYMENT_RATE_LIMIT = 100  # the cap tested here, not the card-testing limit
    merchant.save_revision().publish()
    offer = VoucherOffer.objects.get(page=merchant)
    offer.stock = 5
    offer.save()
    return merchant, offer


def order_from(address, merchant, email):
    client = Client(REMOTE_ADDR=address)
    return client.post(
        f"/unterstuetzen/{merchant.pk}/gutschein/",
        {"buyer_name": "Hamster", "buyer_email": email, "value": "1000"},
    )


def test_one_client_cannot_hold_the_whole_stock_while_others_still_buy(limited):
    merchant, offer = limited
    # One address opening orders with ever new e-mail addresses, never paying.
    answers = [
        order_from("203.0.113.9", merchant, f"hamster{n}@example.org").status_code for n in range(5)
    ]
    assert answers == [302, 302, 400, 400, 400]  # to the payment page, then refused
    refused = order_from("203.0.113.9", merchant, "hamster9@example.org")
    assert REFUSED in refused.content.decode()
    assert Order.objects.filter(status=Order.Status.PENDING).count() == 2
    assert selectors.vouchers_left(offer) == 3
    # One e-mail address from ever new addresses: the same.
    answers = [
        order_from(f"198.51.100.{n}", merchant, "hamster@example.org").status_code for n in range(3)
    ]
    assert answers == [302, 302, 400]
    # A real buyer still gets a voucher.
    response = order_from("192.0.2.1", merchant, "erika@example.org")
    assert response.status_code == 302
    assert response["Location"].startswith("/zahlung/demo/")
    assert selectors.vouchers_left(offer) == 0


def test_an_order_without_a_payment_under_way_lets_its_voucher_go_after_the_grace(
    limited, buyer, site, settings
):
    merchant, offer = limited
    settings.SUPPORT_RESERVATION_GRACE_MINUTES = 5
    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    assert selectors.vouchers_left(offer) == 4  # held while the buyer reaches the payment
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert selectors.vouchers_left(offer) == 5  # never paid for: the voucher is free again
    # With a payment under way it is held for the whole reservation time.
    payments.payment_start(order=order, return_url="http://testserver/")
    assert selectors.vouchers_left(offer) == 4
    Order.objects.filter(pk=order.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert selectors.vouchers_left(offer) == 5


def test_an_order_whose_place_lapsed_is_not_paid_once_the_stock_is_gone(limited, buyer, site):
    merchant, offer = limited
    VoucherOffer.objects.filter(pk=offer.pk).update(stock=1)
    lapsed = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    Order.objects.filter(pk=lapsed.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=10)
    )  # never reached the payment: its voucher went back after the grace
    other = services.Buyer(name="Max Muster", email="max@example.org")
    taken = services.order_voucher(merchant=merchant, amount=1000, buyer=other, site=site)
    payments.payment_start(order=taken, return_url="http://testserver/")

    with pytest.raises(payments.OrderRefused) as refused:
        payments.payment_start(order=lapsed, return_url="http://testserver/")

    assert "ausverkauft" in str(refused.value)
    lapsed.refresh_from_db()
    assert lapsed.status == Order.Status.CANCELLED and not lapsed.payments.exists()
