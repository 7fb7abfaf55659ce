"""The Stripe provider and its webhook, against a real localstripe server (localstripe.py beside
this file), paying for a throwaway product kind (payments/tests/utils.py). localstripe refuses
Connect and automatic payment methods, so the parameters for those are checked exactly on their
own, and the money flows run with them off."""

import json
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import stripe
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import LedgerEntry, Order, Payment, Refund
from payments.providers import PaymentError, ProviderUnavailable, get_provider
from payments.services.ledger import book
from payments.tests.utils import GADGET_STOCK, Buyer, issued, order_url, place_gadget
from payments_demo.provider import DemoProvider
from payments_stripe import provider as stripe_provider
from payments_stripe.models import PayoutAccount
from payments_stripe.provider import StripeProvider, intent_params, platform_fee

pytest_plugins = ["payments_stripe.tests.localstripe"]  # its fixtures

WEBHOOK_URL = "/zahlung/webhook/stripe/"
DECLINED = "4000000000000341"  # declined when charged; see the note in test_declined_card…


# --- helpers --------------------------------------------------------------------------------


def start(order: Order) -> tuple[Payment, object]:
    step = payment_services.payment_start(order=order, return_url=order_url(order))
    return order.payments.latest("created_at"), step


def signed(event: dict, secret: str | None = None) -> tuple[bytes, str]:
    """Signed as Stripe signs, by default with the portal's configured webhook secret."""
    if secret is None:
        secret = django_settings.STRIPE_WEBHOOK_SECRET
    body = json.dumps(event).encode()
    header = stripe.WebhookSignature.generate_signature_header(body.decode(), secret)
    return body, header


def event(event_type: str, obj: dict) -> dict:
    return {
        "id": "evt_test",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {"object": obj},
    }


def post_webhook(client, body: bytes, signature: str | None = None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(WEBHOOK_URL, body, content_type="application/json", **headers)


def ledger(order: Order, kind: str = LedgerEntry.Kind.PAYMENT) -> list[int]:
    return list(order.ledger_entries.filter(kind=kind).values_list("amount", flat=True))


class Recorder(stripe.RequestsClient):
    """stripe-python's own HTTP client, still talking to localstripe, noting each request: the
    one way to see headers (idempotency keys) and parameters that localstripe ignores or
    refuses."""

    def __init__(self):
        super().__init__(timeout=10)
        self.sent: list[tuple[str, str, dict, dict]] = []

    def request(self, method, url, headers, post_data=None):
        body = post_data.decode() if isinstance(post_data, bytes) else post_data or ""
        params = {key: values[0] for key, values in parse_qs(body).items()}
        self.sent.append((method, urlsplit(url).path, dict(headers or {}), params))
        return super().request(method, url, headers, post_data)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    client = Recorder()
    monkeypatch.setattr(stripe_provider, "new_http_client", lambda _timeout: client)
    return client


# --- the parameters sent to Stripe ---------------------------------------------------------


def unsaved_payment(amount: int = 2500) -> Payment:
    order = Order(amount=amount, currency="EUR")
    return Payment(pk=7, order=order, provider="stripe", amount=amount, currency="EUR")


def test_card_only_without_connected_account():
    payment = unsaved_payment()
    assert intent_params(payment, automatic_payment_methods=False, fee_basis_points=150) == {
        "amount": 2500,
        "currency": "eur",
        "metadata": {"order": str(payment.order.reference), "payment": "7"},
        "payment_method_types": ["card"],
    }


def test_automatic_methods_and_connected_account_with_fee():
    payment = unsaved_payment()
    assert intent_params(payment, connected_account="acct_kiosk", fee_basis_points=150) == {
        "amount": 2500,
        "currency": "eur",
        "metadata": {"order": str(payment.order.reference), "payment": "7"},
        "automatic_payment_methods": {"enabled": True},
        "transfer_data": {"destination": "acct_kiosk"},
        "application_fee_amount": 38,  # 1.5 % of 25 € = 37.5 ct, rounded half up
    }


def test_connected_account_without_fee_sends_no_fee():
    params = intent_params(
        unsaved_payment(), connected_account="acct_kiosk", automatic_payment_methods=False
    )
    assert params["transfer_data"] == {"destination": "acct_kiosk"}
    assert "application_fee_amount" not in params
    assert "description" not in params


def test_a_fee_rounding_to_zero_cents_is_not_sent():
    params = intent_params(
        unsaved_payment(amount=3), connected_account="acct_k", fee_basis_points=150
    )
    assert "application_fee_amount" not in params


@pytest.mark.parametrize(
    ("amount", "basis_points", "fee"),
    [(2500, 150, 38), (1000, 150, 15), (333, 150, 5), (2500, 0, 0), (100000, 250, 2500)],
)
def test_platform_fee_in_whole_cents(amount, basis_points, fee):
    assert platform_fee(amount, basis_points) == fee


@pytest.mark.django_db
def test_merchant_account_and_settings_reach_the_request(
    localstripe, settings, recorder, merchant, buyer, site
):
    PayoutAccount.objects.create(merchant=merchant, stripe_account_id="acct_kiosk")
    settings.PLATFORM_FEE_BASIS_POINTS = 150
    settings.STRIPE_AUTOMATIC_PAYMENT_METHODS = True
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    # localstripe has no Connect: it refuses the request, which is sent all the same.
    with pytest.raises(PaymentError):
        payment_services.payment_start(order=order, return_url="http://testserver/")
    method, path, headers, params = recorder.sent[0]
    assert (method, path) == ("post", "/v1/payment_intents")
    assert params["transfer_data[destination]"] == "acct_kiosk"
    assert params["application_fee_amount"] == "38"
    assert params["automatic_payment_methods[enabled]"] == "true"
    assert "description" not in params and "payment_method_types[0]" not in params
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


@pytest.mark.django_db
def test_every_create_carries_an_idempotency_key(localstripe, recorder, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    payment_services.payment_sync(payment=payment)
    payment_services.refund_create(order=order, amount=1000)
    payment_services.refund_create(order=order, amount=1000)
    creates = [(path, headers.get("Idempotency-Key")) for m, path, headers, _ in recorder.sent]
    creates = [entry for entry in creates if entry[0] in ("/v1/payment_intents", "/v1/refunds")]
    assert creates == [
        ("/v1/payment_intents", f"portal-payment-{payment.pk}"),
        # Two refunds of the same amount are two refunds, not one sent twice.
        ("/v1/refunds", f"portal-refund-{payment.pk}-0-1000"),
        ("/v1/refunds", f"portal-refund-{payment.pk}-1000-1000"),
    ]


# --- paying against localstripe ------------------------------------------------------------


@pytest.mark.django_db
def test_paid_order(localstripe, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, step = start(order)
    assert payment.provider == "stripe"
    assert payment.reference.startswith("pi_")
    assert step.template == "payments_stripe/stripe_payment.html"
    intent = localstripe.client.v1.payment_intents.retrieve(payment.reference)
    assert (intent.amount, intent.currency) == (2500, "eur")
    assert step.context["client_secret"] == intent.client_secret

    # Opening the payment page pays nothing.
    assert payment_services.payment_sync(payment=payment).status == Order.Status.PENDING
    assert issued(order) == 0

    assert localstripe.pay(payment.reference) == "succeeded"
    order = payment_services.payment_sync(payment=payment)
    assert order.status == Order.Status.PAID
    assert ledger(order) == [2500]
    assert order.ledger_entries.get().reference == payment.reference
    assert issued(order) == 1  # the seller was called back

    # The return URL and the webhook both sync: the second time changes nothing.
    payment_services.payment_sync(payment=payment)
    assert ledger(order) == [2500]
    assert issued(order) == 1


@pytest.mark.django_db
def test_payment_page_loads_stripe_js_from_the_configured_url(
    localstripe, client, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    response = client.post(reverse("payments:pay", args=[order.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    payment = order.payments.get()
    intent = localstripe.client.v1.payment_intents.retrieve(payment.reference)
    assert f'<script src="{localstripe.js_url}"></script>' in html
    assert "https://js.stripe.com" not in html  # never the CDN in tests
    assert f'data-client-secret="{intent.client_secret}"' in html
    assert 'data-publishable-key="pk_test_portal"' in html
    return_url = "http://testserver" + reverse("payments:order", args=[order.reference])
    assert f'data-return-url="{return_url}"' in html
    assert "/static/payments_stripe/stripe-payment.js" in html
    # What the page loads is localstripe's stand-in for Stripe.js.
    script = requests.get(localstripe.js_url, timeout=5)
    assert script.ok and "Stripe = (apiKey)" in script.text


@pytest.mark.django_db
def test_return_url_shows_the_paid_order(localstripe, client, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, step = start(order)
    localstripe.pay(payment.reference)
    response = client.get(urlsplit(step.context["return_url"]).path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vielen Dank!</h1>" in html
    assert "Your gadget is on its way to erika@example.org." in html  # the kind's thanks
    assert "<dd>25\N{NO-BREAK SPACE}€</dd>" in html
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert ledger(order) == [2500]


@pytest.mark.django_db
def test_declined_card_fails_the_order_which_can_be_paid_again(localstripe, merchant, buyer, site):
    # localstripe declines 4000000000000341 when charging; its 4000000000000002 (Stripe's
    # "generic decline") is only declined when attached to a customer, so it would succeed here.
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first, _ = start(order)
    assert localstripe.pay(first.reference, DECLINED) == "requires_payment_method"
    order = payment_services.payment_sync(payment=first)
    assert order.status == Order.Status.FAILED
    first.refresh_from_db()
    assert first.state == Payment.State.FAILED
    assert ledger(order) == []
    assert issued(order) == 0

    second, _ = start(order)
    assert second.reference != first.reference
    localstripe.pay(second.reference)
    order = payment_services.payment_sync(payment=second)
    assert order.status == Order.Status.PAID
    assert ledger(order) == [2500]


@pytest.mark.django_db
def test_a_new_attempt_cancels_the_abandoned_intent(localstripe, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first, _ = start(order)
    second, _ = start(order)  # the back button, then "Pay now" again
    assert second.reference != first.reference
    assert localstripe.client.v1.payment_intents.retrieve(first.reference).status == "canceled"
    first.refresh_from_db()
    assert first.state == Payment.State.CANCELLED
    # The first payment form, still open in another tab, can no longer take money.
    with pytest.raises(stripe.InvalidRequestError):
        localstripe.pay(first.reference)

    assert localstripe.pay(second.reference) == "succeeded"
    assert payment_services.payment_sync(payment=second).status == Order.Status.PAID
    assert ledger(order) == [2500]


@pytest.mark.django_db
def test_paying_again_after_paying_creates_no_second_intent(
    localstripe, client, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    first, _ = start(order)
    localstripe.pay(first.reference)  # paid; the return URL has not come yet
    response = client.post(reverse("payments:pay", args=[order.reference]))
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:order", args=[order.reference])
    assert order.payments.count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert ledger(order) == [2500]
    intents = localstripe.client.v1.payment_intents.list(params={"limit": 100}).data
    assert [i.id for i in intents if i.metadata.to_dict().get("order") == str(order.reference)] == [
        first.reference
    ]


@pytest.mark.django_db
def test_expire_orders_cancels_the_intent(localstripe, merchant, buyer, site):
    from django.core.management import call_command

    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    Order.objects.filter(pk=order.pk).update(created_at=order.created_at - timedelta(hours=1))
    call_command("expire_orders")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert localstripe.client.v1.payment_intents.retrieve(payment.reference).status == "canceled"


@pytest.mark.django_db
def test_a_late_payment_for_a_sold_out_offer_is_refunded_at_stripe(
    localstripe, merchant, buyer, site, mailoutbox, django_capture_on_commit_callbacks
):
    GADGET_STOCK[merchant.pk] = 1
    late = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    late_payment, _ = start(late)
    Order.objects.filter(pk=late.pk).update(created_at=late.created_at - timedelta(hours=1))
    other = Buyer(name="Max Muster", email="max@example.org")
    sold = paid_at_localstripe(localstripe, merchant, other, site)  # the last gadget

    localstripe.pay(late_payment.reference)  # the first buyer pays all the same
    with django_capture_on_commit_callbacks(execute=True):
        late = payment_services.payment_sync(payment=late_payment)

    assert late.status == Order.Status.CANCELLED
    assert (issued(late), issued(sold.order)) == (0, 1)
    at_stripe = localstripe.client.v1.refunds.list(
        params={"payment_intent": late_payment.reference}
    )
    assert [refund.amount for refund in at_stripe.data] == [2500]
    assert ledger(late) == [2500]
    assert list(late.ledger_entries.filter(kind="refund").values_list("amount", "reference")) == [
        (-2500, at_stripe.data[0].id)
    ]
    assert [mail.to for mail in mailoutbox] == [[buyer.email]]
    assert "ausverkauft" in mailoutbox[0].body
    # Stripe's webhook for the refund books nothing more.
    payment_services.refunds_sync(payment=Payment.objects.get(pk=late_payment.pk))
    assert ledger(late, LedgerEntry.Kind.REFUND) == [-2500]


@pytest.mark.django_db
def test_refunds_reach_stripe_and_the_ledger(localstripe, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    payment_services.payment_sync(payment=payment)

    entry = payment_services.refund_create(order=order, amount=1000)
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    assert (entry.amount, entry.state) == (1000, Refund.State.DONE)
    assert entry.reference.startswith("re_")
    payment_services.refund_create(order=order, amount=1500)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-1000, -1500]

    at_stripe = localstripe.client.v1.refunds.list(params={"payment_intent": payment.reference})
    assert sorted(refund.amount for refund in at_stripe.data) == [1000, 1500]
    assert entry.reference in {refund.id for refund in at_stripe.data}


def paid_at_localstripe(localstripe, merchant, buyer, site, amount=2500) -> Payment:
    order = place_gadget(merchant=merchant, amount=amount, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    payment_services.payment_sync(payment=payment)
    payment.refresh_from_db()
    return payment


def refund_event(localstripe, payment: Payment) -> tuple[bytes, str]:
    """What Stripe sends after a refund: the charge, naming its payment intent."""
    intent = localstripe.client.v1.payment_intents.retrieve(payment.reference)
    charge_id = getattr(intent.latest_charge, "id", intent.latest_charge)  # expanded or not
    charge = {"id": charge_id, "object": "charge", "payment_intent": intent.id}
    return signed(event("charge.refunded", charge))


@pytest.mark.django_db
def test_a_refund_made_in_stripes_dashboard_is_booked_once(
    localstripe, client, merchant, buyer, site
):
    payment = paid_at_localstripe(localstripe, merchant, buyer, site)
    order = payment.order
    dashboard = localstripe.client.v1.refunds.create(
        params={"payment_intent": payment.reference, "amount": 1000}
    )

    body, header = refund_event(localstripe, payment)
    response = post_webhook(client, body, header)
    assert (response.status_code, response.json()) == (200, {"status": "partially_refunded"})
    assert list(
        order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).values_list("amount", "reference")
    ) == [(-1000, dashboard.id)]
    post_webhook(client, body, header)  # delivered again: nothing more
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-1000]

    # The rest, refunded in the dashboard too: the order is refunded.
    localstripe.client.v1.refunds.create(
        params={"payment_intent": payment.reference, "amount": 1500}
    )
    response = post_webhook(client, *refund_event(localstripe, payment))
    assert response.json() == {"status": "refunded"}
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-1000, -1500]
    assert payment_selectors.raised(order.ledger_entries.all()) == 0


@pytest.mark.django_db
def test_a_refund_made_in_the_admin_is_not_booked_again_by_its_webhook(
    localstripe, client, merchant, buyer, site
):
    payment = paid_at_localstripe(localstripe, merchant, buyer, site)
    payment_services.refund_create(order=payment.order, amount=1000)
    response = post_webhook(client, *refund_event(localstripe, payment))
    assert response.json() == {"status": "partially_refunded"}
    assert ledger(payment.order, LedgerEntry.Kind.REFUND) == [-1000]


@pytest.mark.django_db
def test_each_provider_refund_is_recorded_and_booked_once(merchant, buyer, site):
    """The last line of defence when the admin and the webhook record the same refund at once."""
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = Payment.objects.create(
        order=order, provider="stripe", amount=2500, currency="EUR", state="succeeded"
    )

    def record(reference: str) -> Refund:
        return Refund.objects.create(
            order=order,
            payment=payment,
            amount=1000,
            currency="EUR",
            source=Refund.Source.PROVIDER,
            reference=reference,
        )

    first = record("re_same")
    with pytest.raises(IntegrityError), transaction.atomic():
        record("re_same")
    record("re_other")
    book(order, LedgerEntry.Kind.REFUND, -1000, refund=first, reference="re_same")
    with pytest.raises(IntegrityError), transaction.atomic():
        book(order, LedgerEntry.Kind.REFUND, -1000, refund=first, reference="re_same")
    assert ledger(order, LedgerEntry.Kind.REFUND) == [-1000]


@pytest.mark.django_db
def test_stripe_down_when_starting_leaves_the_order_pending(
    localstripe, stripe_down, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    stripe_down()
    with pytest.raises(ProviderUnavailable) as error:
        start(order)
    assert "gerade nicht erreichbar" in str(error.value)  # the buyer reads German
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert order.payments.get().reference is None


@pytest.mark.django_db
def test_stripe_down_when_syncing_then_back(
    localstripe, settings, stripe_down, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    stripe_down()
    with pytest.raises(ProviderUnavailable):
        payment_services.payment_sync(payment=payment)
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert ledger(order) == []
    settings.STRIPE_API_BASE = localstripe.url
    assert payment_services.payment_sync(payment=payment).status == Order.Status.PAID


@pytest.mark.django_db
def test_stripe_is_used_only_when_configured(settings, localstripe_server, merchant, buyer, site):
    settings.PAYMENT_PROVIDER = "demo"
    assert isinstance(get_provider(), DemoProvider)
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    demo_payment, step = start(order)
    assert demo_payment.provider == "demo" and step.redirect_url

    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_SECRET_KEY = localstripe_server.secret_key
    settings.STRIPE_AUTOMATIC_PAYMENT_METHODS = False
    assert isinstance(get_provider(), StripeProvider)
    stripe_payment, step = start(order)
    assert (
        stripe_payment.provider == "stripe"
        and step.template == "payments_stripe/stripe_payment.html"
    )
    # A payment keeps its provider when the setting changes back.
    settings.PAYMENT_PROVIDER = "demo"
    localstripe_server.pay(stripe_payment.reference)
    assert payment_services.payment_sync(payment=stripe_payment).status == Order.Status.PAID


# --- the webhook, posted by the test ------------------------------------------------------


@pytest.mark.django_db
def test_webhook_without_signature_header_is_refused(localstripe, client):
    body = json.dumps(event("payment_intent.succeeded", {"id": "pi_x"})).encode()
    response = post_webhook(client, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_webhook"
    assert "Stripe-Signature" in response.json()["detail"]


@pytest.mark.django_db
def test_forged_webhook_is_refused_and_changes_nothing(localstripe, client, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)  # even a paid intent is not synced on a forgery
    obj = {"id": payment.reference, "object": "payment_intent", "status": "succeeded"}
    body, header = signed(event("payment_intent.succeeded", obj), secret="whsec_guessed")
    response = post_webhook(client, body, header)
    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail"}
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    # A body changed after signing is refused too.
    body, header = signed(event("payment_intent.succeeded", obj))
    assert post_webhook(client, body.replace(b"pi_", b"pi_x"), header).status_code == 400


@pytest.mark.django_db
def test_a_genuine_webhook_replayed_after_the_tolerance_is_refused(
    localstripe, client, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    obj = {"id": payment.reference, "object": "payment_intent", "status": "succeeded"}
    body = json.dumps(event("payment_intent.succeeded", obj)).encode()
    # Signed with the right secret, but six minutes ago: Stripe's tolerance is five.
    old = int(time.time()) - stripe.Webhook.DEFAULT_TOLERANCE - 60
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode(), django_settings.STRIPE_WEBHOOK_SECRET, timestamp=old
    )
    response = post_webhook(client, body, header)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_webhook"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    # The same event signed now is taken: the age alone made the difference.
    fresh = stripe.WebhookSignature.generate_signature_header(
        body.decode(), django_settings.STRIPE_WEBHOOK_SECRET
    )
    assert post_webhook(client, body, fresh).json() == {"status": "paid"}


@pytest.mark.django_db
def test_webhook_is_refused_while_no_secret_is_configured(localstripe, settings, client):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, header = signed(event("payment_intent.succeeded", {"id": "pi_x"}), secret="")
    response = post_webhook(client, body, header)
    assert response.status_code == 400
    assert response.json()["detail"] == "The webhook is not configured."


@pytest.mark.django_db
def test_webhook_for_other_events_is_acknowledged(localstripe, client):
    body, header = signed(event("customer.created", {"id": "cus_x", "object": "customer"}))
    response = post_webhook(client, body, header)
    assert (response.status_code, response.json()) == (200, {"status": "ignored"})


@pytest.mark.django_db
def test_webhook_for_an_unknown_intent_is_acknowledged(localstripe, client):
    obj = {"id": "pi_notours", "object": "payment_intent", "status": "succeeded"}
    body, header = signed(event("payment_intent.succeeded", obj))
    response = post_webhook(client, body, header)
    assert (response.status_code, response.json()) == (200, {"status": "unknown_payment"})


@pytest.mark.django_db
def test_webhook_body_is_only_a_trigger(localstripe, client, merchant, buyer, site):
    """A genuine event that says "succeeded" for an intent Stripe says is unpaid fulfils
    nothing: the portal asks Stripe."""
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    obj = {"id": payment.reference, "object": "payment_intent", "status": "succeeded"}
    body, header = signed(event("payment_intent.succeeded", obj))
    response = post_webhook(client, body, header)
    assert (response.status_code, response.json()) == (200, {"status": "pending"})
    assert ledger(order) == []


@pytest.mark.django_db
def test_webhook_answers_503_while_stripe_is_down(
    localstripe, stripe_down, client, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference)
    stripe_down()
    obj = {"id": payment.reference, "object": "payment_intent", "status": "succeeded"}
    body, header = signed(event("payment_intent.succeeded", obj))
    response = post_webhook(client, body, header)
    assert response.status_code == 503  # Stripe retries
    assert response.json()["error"] == "provider_unavailable"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING


# --- webhooks delivered by localstripe to the live server ---------------------------------


@pytest.fixture
def wagtail_tree(transactional_db):
    """Wagtail's migrations create the locale and tree roots; the flush after a transactional
    test removes them, so put them back (as seed_demo does). A serialised rollback before may
    have left content types with new ids: forget the cached ones."""
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(django_settings.LANGUAGE_CODE)
    )
    Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    Collection.get_first_root_node() or Collection.add_root(name="Root")


@pytest.mark.django_db(transaction=True)
def test_webhook_fulfils_once_though_delivered_twice_before_the_return_url(
    wagtail_tree, stripe_webhooks, live_server, merchant, buyer, site, client, mailoutbox
):
    localstripe = stripe_webhooks
    url = live_server.url + reverse("payments_stripe:webhook")
    localstripe.register_webhook(url, hook_id=localstripe.repeat_hook_id)  # a redelivery
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, step = start(order)

    localstripe.pay(payment.reference)
    localstripe.wait_for_webhooks(payment, "payment_intent.succeeded", 2)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID  # by the webhook alone
    assert ledger(order) == [2500]
    assert issued(order) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [buyer.email]

    # The buyer comes back to the return URL after the webhooks: nothing happens twice.
    client.get(urlsplit(step.context["return_url"]).path)
    assert ledger(order) == [2500]
    assert issued(order) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_declined_payment_webhook_fails_the_order(
    wagtail_tree, stripe_webhooks, merchant, buyer, site
):
    localstripe = stripe_webhooks
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment, _ = start(order)
    localstripe.pay(payment.reference, DECLINED)
    localstripe.wait_for_webhooks(payment, "payment_intent.payment_failed", 1)
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert ledger(order) == []


@pytest.mark.django_db(transaction=True)
def test_events_the_portal_ignores_are_acknowledged(wagtail_tree, stripe_webhooks):
    localstripe = stripe_webhooks
    customers = localstripe.deliveries("customer.created")
    paid_elsewhere = localstripe.deliveries("payment_intent.succeeded")
    localstripe.client.v1.customers.create(params={"email": "someone@example.org"})
    # An intent made by something else on the same Stripe account: unknown here, still 2xx.
    intent = localstripe.client.v1.payment_intents.create(
        params={"amount": 500, "currency": "eur", "payment_method_types": ["card"]}
    )
    localstripe.pay(intent.id)
    localstripe.wait_for_deliveries("customer.created", customers + 1)
    localstripe.wait_for_deliveries("payment_intent.succeeded", paid_elsewhere + 1)
    assert Payment.objects.count() == 0
