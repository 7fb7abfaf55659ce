"""A Stripe that hangs: a TCP server that accepts every connection and never answers stands in
for the API. The buyer who presses "pay" must read the clear message within seconds (not after
three tries of 20 s each), and the order stays pending and can be paid once Stripe is back."""

import socket
import threading
import time

import pytest

from payments.models import Order
from payments.tests.utils import place_gadget

pytest_plugins = ["payments_stripe.tests.localstripe"]  # its fixtures

BUYER_BOUND = 12  # seconds: well below a proxy's typical 30-60 s


class Blackhole:
    """Listens on a free port, accepts, reads nothing, answers nothing."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def blackhole():
    hole = Blackhole()
    yield hole
    hole.close()


@pytest.mark.django_db
def test_a_hanging_stripe_answers_the_buyer_quickly_and_the_order_stays_payable(
    localstripe, settings, blackhole, client, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    settings.STRIPE_API_BASE = blackhole.url  # STRIPE_TIMEOUT_SECONDS keeps its default

    began = time.monotonic()
    response = client.post(f"/bestellung/{order.reference}/bezahlen/", follow=True)
    waited = time.monotonic() - began

    html = response.content.decode()
    assert response.status_code == 200
    assert "gerade nicht erreichbar" in html  # the clear message, in German
    assert waited < BUYER_BOUND, f"the buyer waited {waited:.1f} s"
    assert len(blackhole.accepted) == 2  # one try and one retry, no more
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert order.payments.get().reference is None  # nothing was created at Stripe
    assert "Jetzt bezahlen" in html  # the page still offers to pay

    # Stripe is back: the same order is paid.
    settings.STRIPE_API_BASE = localstripe.url
    response = client.post(f"/bestellung/{order.reference}/bezahlen/")
    assert response.status_code == 200
    payment = order.payments.latest("created_at")
    assert payment.reference and payment.reference.startswith("pi_")
    assert payment.reference in response.content.decode()  # the Payment Element's secret
    assert localstripe.pay(payment.reference) == "succeeded"
    response = client.get(f"/bestellung/{order.reference}/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert f"Your gadget is on its way to {buyer.email}" in response.content.decode()
