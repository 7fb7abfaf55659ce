"""localstripe (a fake Stripe server) for the tests: one subprocess per test session on a free
port, stripe-python and Stripe.js pointed at it through the settings, and webhooks delivered
by it to the test's live server, signed with a secret of the test's.

Import the fixtures into a test module: `from payments_stripe.tests.localstripe import ...`.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import stripe
from django.urls import reverse

# localstripe accepts any key that starts with sk_
SECRET_KEY = "sk_test_portal"  # noqa: S105 - a fake server's key
PUBLISHABLE_KEY = "pk_test_portal"
WEBHOOK_SECRET = "whsec_portal_tests"  # noqa: S105 - signs the tests' webhooks
WEBHOOK_ID = "portal"
START_TIMEOUT = 20  # seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalStripe:
    url: str
    log: Path
    secret_key: str = SECRET_KEY
    webhook_secret: str = WEBHOOK_SECRET
    repeat_hook_id: str = f"{WEBHOOK_ID}-again"  # a second hook: every event arrives twice

    @property
    def client(self) -> stripe.StripeClient:
        """The test's own client, for what the buyer's browser or Stripe's dashboard would do."""
        return stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": self.url}, max_network_retries=0
        )

    @property
    def js_url(self) -> str:
        return f"{self.url}/js.stripe.com/v3/"

    def pay(self, intent_id: str, card_number: str = "4242424242424242") -> str:
        """What Stripe.js does when the buyer submits the Payment Element: attach a card to the
        intent and confirm it. localstripe's fake Stripe.js cannot (it has no confirmPayment
        and no Payment Element), so the test does it with the secret key. Returns the intent's
        status; a declined card is not an error here, it is what is being tested."""
        method = self.client.v1.payment_methods.create(
            params={
                "type": "card",
                "card": {"number": card_number, "exp_month": 12, "exp_year": 2030, "cvc": "123"},
            }
        )
        self.client.v1.payment_intents.update(intent_id, params={"payment_method": method.id})
        try:
            self.client.v1.payment_intents.confirm(intent_id)
        except stripe.CardError:
            pass
        return self.client.v1.payment_intents.retrieve(intent_id).status

    def register_webhook(self, url: str, secret: str = WEBHOOK_SECRET, hook_id: str = WEBHOOK_ID):
        response = requests.post(
            f"{self.url}/_config/webhooks/{hook_id}",
            json={"url": url, "secret": secret},
            timeout=5,
        )
        response.raise_for_status()

    def disable_webhook(self, hook_id: str = WEBHOOK_ID) -> None:
        # localstripe cannot delete a webhook; one that listens to no event is as good.
        requests.post(
            f"{self.url}/_config/webhooks/{hook_id}",
            json={"url": "http://127.0.0.1:9/", "secret": "off", "events": []},
            timeout=5,
        ).raise_for_status()

    def deliveries(self, event_type: str, ok: bool = True) -> int:
        """How many webhooks of this type localstripe delivered (2xx), or failed to, by its log."""
        text = self.log.read_text(errors="replace")
        word = "successfully delivered" if ok else "failed"
        return len(re.findall(rf'webhook "{re.escape(event_type)}" {word}', text))

    def wait_for_webhooks(self, payment, event_type: str, count: int) -> None:
        """Wait until the portal has acted on `count` webhooks of this type for this payment (its
        order's log says so). Counting localstripe's deliveries instead would count every
        test's: a late delivery for an earlier test's intent would end the wait too early."""
        from payments.models import OrderLogEntry

        def taken() -> int:
            entries = OrderLogEntry.objects.filter(
                order_id=payment.order_id, action="stripe.webhook"
            )
            return sum(
                entry.data == {"event": event_type, "payment": payment.pk} for entry in entries
            )

        deadline = time.monotonic() + 15
        while taken() < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the portal took {taken()} of {count} {event_type} webhooks for payment "
                    f"{payment.pk}:\n{self.log.read_text()[-3000:]}"
                )
            time.sleep(0.1)

    def wait_for_deliveries(self, event_type: str, count: int, ok: bool = True) -> None:
        deadline = time.monotonic() + 15
        while self.deliveries(event_type, ok) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"localstripe delivered {self.deliveries(event_type, ok)} of {count} "
                    f"{event_type} webhooks:\n{self.log.read_text()[-3000:]}"
                )
            time.sleep(0.1)


@pytest.fixture(scope="session")
def localstripe_server():
    """The localstripe subprocess, started once; its log is how tests see webhook deliveries."""
    workdir = Path(tempfile.mkdtemp(prefix="localstripe-"))
    log = workdir / "localstripe.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed module
            [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=workdir,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"localstripe exited:\n{log.read_text()}")
            try:
                if requests.get(f"{url}/js.stripe.com/v3/", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"localstripe did not start within {START_TIMEOUT} s:\n{log.read_text()}"
                )
            time.sleep(0.1)
        yield LocalStripe(url=url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def localstripe(localstripe_server: LocalStripe, settings) -> LocalStripe:
    """The portal configured for Stripe, talking to localstripe. localstripe rejects
    automatic_payment_methods and Connect parameters, so those stay off here (their parameters
    are checked on their own in test_stripe.py)."""
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_JS_URL = localstripe_server.js_url
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_AUTOMATIC_PAYMENT_METHODS = False
    settings.PLATFORM_FEE_BASIS_POINTS = 0
    return localstripe_server


@pytest.fixture
def stripe_webhooks(localstripe: LocalStripe, live_server):
    """localstripe sends its events, signed, to the live server's webhook. A test may register
    a second hook (`repeat_hook_id`) to get every event twice; both are switched off after."""
    url = live_server.url + reverse("payments_stripe:webhook")
    localstripe.register_webhook(url, hook_id=WEBHOOK_ID)
    localstripe.register_webhook(url, hook_id=f"{WEBHOOK_ID}-again")
    yield localstripe
    localstripe.disable_webhook(WEBHOOK_ID)
    localstripe.disable_webhook(f"{WEBHOOK_ID}-again")


@pytest.fixture
def stripe_down(settings):
    """Call it and Stripe cannot be reached: the API base points at a port nobody listens on."""

    def down() -> None:
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"

    return down
