"""Payouts to a merchant's connected Stripe account: what is sent to Stripe, how fee and payout
are booked (and booked back on a refund), and that only editors with the model's permissions
can say where a merchant's money goes.

The Stripe flows run against localstripe, which refuses Connect parameters: stripe-python's HTTP
client notes each request as the portal sent it (so those parameters are checked exactly) and
forwards it without them."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import stripe
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse, reverse_lazy
from django.utils.html import escape

from directory import accounts
from directory.tests.factories import MerchantPageFactory
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.models import LedgerEntry, Order, Payment
from payments.money import format_money
from payments.rights import grant_order_rights
from payments.tests.utils import place_gadget
from payments_demo.provider import DemoProvider
from payments_stripe import provider as stripe_provider
from payments_stripe.models import PayoutAccount
from payments_stripe.provider import intent_params
from payments_stripe.rights import grant_payout_rights

pytestmark = pytest.mark.django_db
pytest_plugins = ["payments_stripe.tests.localstripe"]  # its fixtures

ACCOUNT = "acct_1Kiosk42"
KINDS = LedgerEntry.Kind


def entries(order: Order) -> list[tuple[str, int]]:
    return list(order.ledger_entries.order_by("pk").values_list("kind", "amount"))


def total(order: Order, *kinds: str) -> int:
    rows = order.ledger_entries.filter(kind__in=kinds) if kinds else order.ledger_entries.all()
    return sum(rows.values_list("amount", flat=True))


# --- Stripe: localstripe, with the Connect parameters noted and left out -------------------

CONNECT_ONLY = {  # what localstripe refuses; sent by the portal, checked here as sent
    "transfer_data[destination]",
    "application_fee_amount",
    "automatic_payment_methods[enabled]",
    "reverse_transfer",
    "refund_application_fee",
}


class ConnectRecorder(stripe.RequestsClient):
    """stripe-python's own HTTP client talking to localstripe. It notes each request exactly as
    the portal sent it, then leaves out the Connect parameters localstripe refuses, so that
    intents, payments and refunds really happen at localstripe."""

    def __init__(self) -> None:
        super().__init__(timeout=10)
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    def request(self, method, url, headers, post_data=None):
        body = post_data.decode() if isinstance(post_data, bytes) else post_data or ""
        params = parse_qsl(body, keep_blank_values=True)
        self.sent.append((method, urlsplit(url).path, dict(params)))
        if post_data is not None:
            kept = [(key, value) for key, value in params if key not in CONNECT_ONLY]
            post_data = urlencode(kept)
        return super().request(method, url, headers, post_data)

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [params for method, sent_path, params in self.sent if sent_path == path]


@pytest.fixture
def stripe_connect(localstripe, settings, monkeypatch) -> ConnectRecorder:
    """The portal configured for Stripe with a 1.5 % platform fee, talking to localstripe."""
    settings.STRIPE_AUTOMATIC_PAYMENT_METHODS = True
    settings.PLATFORM_FEE_BASIS_POINTS = 150
    recorder = ConnectRecorder()
    monkeypatch.setattr(stripe_provider, "new_http_client", lambda _timeout: recorder)
    return recorder


def start(order: Order) -> Payment:
    payment_services.payment_start(order=order, return_url="http://testserver/")
    return order.payments.latest("created_at")


def test_intent_params_with_a_payout_account_and_a_fee(merchant, buyer, site):
    account = PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = Payment.objects.create(order=order, provider="stripe", amount=2500, currency="EUR")
    params = intent_params(
        payment, connected_account=account.stripe_account_id, fee_basis_points=150
    )
    assert params == {
        "amount": 2500,
        "currency": "eur",
        "metadata": {"order": str(order.reference), "payment": str(payment.pk)},
        "automatic_payment_methods": {"enabled": True},
        "transfer_data": {"destination": ACCOUNT},
        "application_fee_amount": 38,  # 1.5 % of 25 €, rounded half up
    }


def test_start_sends_the_payout_account_and_fee_and_keeps_them_on_the_payment(
    stripe_connect, localstripe, merchant, buyer, site
):
    PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = start(order)
    assert stripe_connect.requests_to("/v1/payment_intents") == [
        {
            "amount": "2500",
            "currency": "eur",
            "metadata[order]": str(order.reference),
            "metadata[payment]": str(payment.pk),
            "automatic_payment_methods[enabled]": "true",
            "transfer_data[destination]": ACCOUNT,
            "application_fee_amount": "38",
        }
    ]
    payment.refresh_from_db()  # start_payment saved what start() set
    assert payment.reference.startswith("pi_") and payment.state == Payment.State.PENDING
    assert localstripe.client.v1.payment_intents.retrieve(payment.reference).amount == 2500
    assert (payment.destination, payment.platform_fee) == (ACCOUNT, 38)


def test_without_a_payout_account_no_transfer_and_no_fee(stripe_connect, merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = start(order)
    (params,) = stripe_connect.requests_to("/v1/payment_intents")
    assert not any(key.startswith("transfer_data") for key in params)
    assert "application_fee_amount" not in params
    payment.refresh_from_db()
    assert (payment.destination, payment.platform_fee) == ("", 0)


def test_another_merchants_account_is_never_used(
    stripe_connect, merchant, directory_page, buyer, site
):
    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    PayoutAccount.objects.create(merchant=bakery, stripe_account_id="acct_Bakery")
    payment = start(place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site))
    assert payment.destination == ""
    assert "transfer_data[destination]" not in stripe_connect.requests_to("/v1/payment_intents")[0]


def test_stripe_payment_to_an_account_is_booked_and_refunded_back(
    stripe_connect, localstripe, merchant, buyer, site
):
    PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = start(order)
    assert localstripe.pay(payment.reference) == "succeeded"
    assert payment_services.payment_sync(payment=payment).status == Order.Status.PAID
    assert entries(order) == [(KINDS.PAYMENT, 2500), (KINDS.FEE, -38), (KINDS.PAYOUT, -2462)]

    payment_services.refund_create(order=order, amount=1000)
    payment_services.refund_create(order=order, amount=1500)
    # Stripe is asked to take the money back from the merchant's account and to return the fee.
    for params in stripe_connect.requests_to("/v1/refunds"):
        assert params["reverse_transfer"] == "true"
        assert params["refund_application_fee"] == "true"
    assert [params["amount"] for params in stripe_connect.requests_to("/v1/refunds")] == [
        "1000",
        "1500",
    ]
    assert entries(order)[3:] == [
        (KINDS.REFUND, -1000),
        (KINDS.FEE, 15),  # 38 ct × 10/25 = 15.2 ct
        (KINDS.PAYOUT, 985),
        (KINDS.REFUND, -1500),
        (KINDS.FEE, 23),  # the rest of the fee: a full refund returns all of it
        (KINDS.PAYOUT, 1477),
    ]
    assert total(order, KINDS.FEE) == total(order, KINDS.PAYOUT) == total(order) == 0
    assert payment_selectors.raised(order.ledger_entries.all()) == 0


def test_refund_without_destination_reverses_no_transfer(
    stripe_connect, localstripe, merchant, buyer, site
):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = start(order)
    assert localstripe.pay(payment.reference) == "succeeded"
    payment_services.payment_sync(payment=payment)
    payment_services.refund_create(order=order, amount=1000)
    (params,) = stripe_connect.requests_to("/v1/refunds")
    assert params == {"payment_intent": payment.reference, "amount": "1000"}
    assert entries(order) == [(KINDS.PAYMENT, 2500), (KINDS.REFUND, -1000)]


# --- the ledger, with the demo provider ------------------------------------------------------


def pay(order: Order, destination: str = "", fee: int = 0) -> Payment:
    """A demo payment whose row says what a Stripe payment to `destination` would say."""
    payment_services.payment_start(order=order, return_url="http://testserver/")
    payment = order.payments.latest("created_at")
    Payment.objects.filter(pk=payment.pk).update(destination=destination, platform_fee=fee)
    DemoProvider.decide(payment.reference, pay=True)
    payment_services.payment_sync(payment=payment)
    return payment


def test_fulfil_books_payment_fee_and_payout_for_a_payment_to_an_account(merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    payment = pay(order, destination=ACCOUNT, fee=38)
    assert entries(order) == [(KINDS.PAYMENT, 2500), (KINDS.FEE, -38), (KINDS.PAYOUT, -2462)]
    assert set(order.ledger_entries.values_list("reference", flat=True)) == {payment.reference}
    # The money is with the merchant (less the fee): the platform holds nothing of it.
    assert total(order) == 0
    # Replays book nothing more.
    assert payment_services.payment_fulfil(payment=payment) is False
    payment_services.payment_sync(payment=payment)
    assert len(entries(order)) == 3


def test_fulfil_books_only_the_payment_without_destination(merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay(order)
    assert entries(order) == [(KINDS.PAYMENT, 2500)]


def test_a_fee_without_destination_is_booked_without_payout(merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay(order, fee=38)
    assert entries(order) == [(KINDS.PAYMENT, 2500), (KINDS.FEE, -38)]


def test_raised_counts_what_buyers_paid_whoever_holds_the_money(
    merchant, directory_page, buyer, site
):
    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    bakery.save_revision().publish()
    pay(
        place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site),
        destination=ACCOUNT,
        fee=38,
    )
    pay(place_gadget(merchant=bakery, amount=2500, buyer=buyer, site=site))
    for page in (merchant, bakery):
        assert payment_selectors.raised(page.ledger_entries.all()) == 2500
        assert payment_selectors.merchant_totals(page)["raised"] == 2500
    totals = payment_selectors.merchant_totals(merchant)
    assert (totals["payments"], totals["fees"], totals["payouts"]) == (2500, 38, 2462)
    assert payment_selectors.merchant_totals(bakery)["payouts"] == 0


def test_a_full_refund_of_a_payment_to_an_account_leaves_the_ledger_at_zero(merchant, buyer, site):
    order = place_gadget(merchant=merchant, amount=1000, buyer=buyer, site=site)
    pay(order, destination=ACCOUNT, fee=15)
    payment_services.refund_create(order=order, amount=1000)
    assert entries(order)[3:] == [(KINDS.REFUND, -1000), (KINDS.FEE, 15), (KINDS.PAYOUT, 985)]
    assert total(order) == total(order, KINDS.FEE) == total(order, KINDS.PAYOUT) == 0
    assert payment_selectors.raised(merchant.ledger_entries.all()) == 0


# 38 ct of 25 €: 32 ct refunded return 0.486 ct of fee, 33 ct 0.502 ct.
@pytest.mark.parametrize(
    ("refunded", "fee_back"), [(0, 0), (1, 0), (32, 0), (33, 1), (1000, 15), (2500, 38)]
)
def test_returned_fee_is_proportional_and_whole_at_the_end(refunded, fee_back):
    payment = Payment(amount=2500, platform_fee=38)
    assert payment_services.returned_fee(payment, refunded) == fee_back


# --- who may say where the money goes ----------------------------------------------------------


INDEX = reverse_lazy("payout_accounts:index")
ADD = reverse_lazy("payout_accounts:add")


def edit_url(account: PayoutAccount) -> str:
    return reverse("payout_accounts:edit", args=[account.pk])


def delete_url(account: PayoutAccount) -> str:
    return reverse("payout_accounts:delete", args=[account.pk])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(response) -> bool:
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def moderator(django_user_model):
    """A member of Wagtail's Moderators, who hold the payout account permissions."""
    grant_payout_rights()
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_moderators_get_the_payout_account_rights_and_editors_do_not():
    grant_payout_rights()
    grant_payout_rights()  # idempotent

    def codenames(group: str) -> set[str]:
        perms = Group.objects.get(name=group).permissions.filter(codename__endswith="payoutaccount")
        return set(perms.values_list("codename", flat=True))

    assert codenames("Moderators") == {
        "add_payoutaccount",
        "change_payoutaccount",
        "delete_payoutaccount",
        "view_payoutaccount",
    }
    assert codenames("Editors") == set()


def test_a_merchant_can_neither_see_nor_change_payout_accounts(merchant, django_user_model):
    account = PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    user = django_user_model.objects.create_user("kiosk", "kiosk@example.org", "pw")
    accounts.grant_rights(user, merchant)
    client = logged_in(user)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert str(INDEX) not in dashboard.content.decode()  # not in the menu
    for url in (INDEX, ADD, edit_url(account), delete_url(account)):
        assert refused(client.get(url)), url
    data = {"merchant": merchant.pk, "stripe_account_id": "acct_Thief"}
    assert refused(client.post(edit_url(account), data))
    assert refused(client.post(delete_url(account)))
    account.refresh_from_db()  # still there, unchanged
    assert account.stripe_account_id == ACCOUNT
    account.delete()
    assert refused(client.post(ADD, data))
    assert not PayoutAccount.objects.exists()


def test_an_editor_without_the_rights_is_refused(merchant, django_user_model):
    grant_order_rights()
    grant_payout_rights()
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client = logged_in(user)
    assert client.get("/admin/orders/").status_code == 200  # an editor, just not for this
    assert refused(client.get(INDEX))
    assert refused(client.post(ADD, {"merchant": merchant.pk, "stripe_account_id": ACCOUNT}))
    assert not PayoutAccount.objects.exists()


def test_an_editor_with_the_rights_creates_a_payout_account(merchant, moderator):
    client = logged_in(moderator)
    assert str(INDEX) in client.get("/admin/").content.decode()  # in the Support menu
    response = client.post(ADD, {"merchant": merchant.pk, "stripe_account_id": ACCOUNT})
    assert response.status_code == 302
    account = PayoutAccount.objects.get()
    assert (account.merchant_id, account.stripe_account_id) == (merchant.pk, ACCOUNT)
    listing = client.get(INDEX)
    assert listing.status_code == 200
    assert ACCOUNT in listing.content.decode() and merchant.title in listing.content.decode()


@pytest.mark.parametrize(
    "account_id", ["", "acct_", "ACCT_123", "acct-123", "pk_live_123", "acct_12 34", "acct_1/x"]
)
def test_an_invalid_account_id_is_a_field_error(merchant, moderator, account_id):
    response = logged_in(moderator).post(
        ADD, {"merchant": merchant.pk, "stripe_account_id": account_id}
    )
    assert response.status_code == 200
    assert "stripe_account_id" in response.context["form"].errors
    assert not PayoutAccount.objects.exists()


def test_one_payout_account_per_merchant(merchant, moderator):
    PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    response = logged_in(moderator).post(
        ADD, {"merchant": merchant.pk, "stripe_account_id": "acct_Other"}
    )
    assert response.status_code == 200
    assert "merchant" in response.context["form"].errors
    assert PayoutAccount.objects.get().stripe_account_id == ACCOUNT


def test_an_editor_changes_the_account(merchant, moderator):
    account = PayoutAccount.objects.create(merchant=merchant, stripe_account_id=ACCOUNT)
    response = logged_in(moderator).post(
        edit_url(account), {"merchant": merchant.pk, "stripe_account_id": "acct_New1"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.stripe_account_id == "acct_New1"


def test_the_model_refuses_a_trailing_newline(merchant):
    # "$" alone would let "acct_1\n" through a full_clean() outside a form.
    with pytest.raises(ValidationError) as error:
        PayoutAccount(merchant=merchant, stripe_account_id="acct_1\n").full_clean()
    assert "stripe_account_id" in error.value.message_dict


def test_the_order_page_shows_where_the_money_went(merchant, buyer, site, editor_client):
    order = place_gadget(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay(order, destination=ACCOUNT, fee=38)
    html = editor_client.get(reverse("orders:edit", args=[order.pk])).content.decode()
    shown = re.search(r'data-destination="([^"]*)">(.*?)</dd>', html, re.DOTALL)
    assert shown is not None and shown[1] == ACCOUNT
    assert ACCOUNT in shown[2] and escape(format_money(38, "EUR")) in shown[2]  # and the fee
