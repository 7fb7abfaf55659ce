"""The admin side of support: merchants redeem their own vouchers at the counter, see their
income and moderate their wall; editors see ledger totals and refund orders. Every check of a
figure compares it with a sum over the ledger."""

import csv
import datetime
import io
import json
import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.models import Site

from core.testing import act_for_every_city
from directory import accounts
from directory.tests.factories import InitiativeFactory, MerchantPageFactory
from payments import selectors as payment_selectors
from payments import services as payment_services
from payments.admin.report import euros
from payments.models import LedgerEntry, Order
from payments.money import format_money
from support import codes, selectors, services
from support.admin import redeem as counter
from support.models import DonationOffer, SupportOrder, Voucher, VoucherOffer

from .conftest import pay_with_demo

pytestmark = pytest.mark.django_db

CODE_A = "ABCDEFGHJKLMNPQRSTUV"
CODE_B = "23456789ABCDEFGHJKLM"
UNKNOWN = "WXYZWXYZWXYZWXYZWXYZ"


def de(text_or_function, *args) -> str:
    """A message as the (German) admin shows it, escaped like the template does."""
    with translation.override("de"):
        text = text_or_function(*args) if callable(text_or_function) else str(text_or_function)
    return escape(text)


def buy_voucher(page, buyer, site, amount=2500, code=CODE_A) -> Voucher:
    """A paid voucher whose code the test knows (the real one exists only in the mail)."""
    order = services.order_voucher(merchant=page, amount=amount, buyer=buyer, site=site)
    pay_with_demo(order)
    voucher = Voucher.objects.get(order=order)
    Voucher.objects.filter(pk=voucher.pk).update(code_digest=codes.digest(code))
    return voucher


def paid(order) -> Order:
    pay_with_demo(order)
    order.refresh_from_db()
    return order


@pytest.fixture
def world(merchant, buyer, site, directory_page, django_user_model):
    """Merchant A owns the conftest's kiosk (vouchers, donations, campaign); merchant B a bakery
    in another city. Each has a voucher, A has a donor waiting for the wall."""
    other_city = Site.objects.create(
        hostname="bochum.example", port=80, root_page=site.root_page, site_name="Bochum"
    )
    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    VoucherOffer.objects.create(page=bakery, fixed_values=[2000])
    DonationOffer.objects.create(page=bakery, free_amount=True, supporter_wall=True)
    initiative = InitiativeFactory(name="Dortmund hält zusammen")
    merchant.initiatives.add(initiative)
    merchant.save()
    merchant.save_revision().publish()
    bakery.save_revision().publish()

    user_a = django_user_model.objects.create_user("alpha", "alpha@example.org", "pw")
    user_b = django_user_model.objects.create_user("beta", "beta@example.org", "pw")
    account_a = accounts.grant_rights(user_a, merchant)
    account_b = accounts.grant_rights(user_b, bakery)

    voucher_a = buy_voucher(merchant, buyer, site, 2500, CODE_A)  # worth 27.50 € (10 % bonus)
    voucher_b = buy_voucher(bakery, buyer, other_city, 2000, CODE_B)
    wall_buyer = services.Buyer(
        name="Max Muster",
        email="max@example.org",
        supporter_name="Max",
        supporter_message="Haltet durch!",
        on_wall=True,
    )
    donation_a = paid(
        services.order_donation(merchant=merchant, amount=1500, buyer=wall_buyer, site=site)
    )
    donation_b = paid(
        services.order_donation(merchant=bakery, amount=700, buyer=wall_buyer, site=other_city)
    )

    clients = {}
    for name, user in (("a", user_a), ("b", user_b)):
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "a": account_a,
        "b": account_b,
        "client": clients["a"],
        "client_b": clients["b"],
        "voucher_a": voucher_a,
        "voucher_b": voucher_b,
        "donation_a": donation_a,
        "donation_b": donation_b,
        "initiative": initiative,
        "other_city": other_city,
        "buyer": buyer,
    }


def lookup(client, code):
    return client.post("/admin/support/redeem/", {"action": "lookup", "code": code})


def redeem(client, action, expected, amount="", confirm=True):
    """ "Redeem all" is booked from its confirmation page: `confirm` sends that second step."""
    data = {"action": action, "expected_balance": expected, "amount": amount}
    if confirm:
        data["confirm"] = "1"
    return client.post("/admin/support/redeem/", data)


# --- redeeming --------------------------------------------------------------------------


def test_the_redeem_page_is_phone_friendly_and_keeps_the_code_out_of_urls(world):
    body = world["client"].get("/admin/support/redeem/").content.decode()
    assert 'name="code"' in body and "autofocus" in body
    assert 'autocomplete="off"' in body and 'autocapitalize="characters"' in body
    assert "support/redeem.js" in body
    assert "data-support-scan hidden" in body  # the script shows it where BarcodeDetector exists
    assert 'method="post"' in body


def test_merchant_redeems_part_of_their_own_voucher(world):
    client, voucher = world["client"], world["voucher_a"]
    # Dashes, spaces and lower case do not matter at the counter.
    response = lookup(client, codes.printable(CODE_A).lower().replace(" ", "-"))
    assert response.status_code == 302 and response["Location"] == "/admin/support/redeem/"
    assert CODE_A not in response["Location"]
    page = client.get("/admin/support/redeem/").content.decode()
    assert de(format_money, 2750) in page  # value and balance
    assert voucher.code_hint in page

    response = redeem(client, "amount", 2750, "10,50")

    assert response.status_code == 302
    entry = LedgerEntry.objects.get(order__voucher=voucher, kind=LedgerEntry.Kind.REDEMPTION)
    assert entry.amount == -1050 and entry.merchant_id == world["a"].page_id
    assert entry.user == world["a"].user
    assert voucher.balance() == 1700
    page = client.get("/admin/support/redeem/").content.decode()
    assert de(format_money, 1700) in page  # the new balance
    assert de(format_money, -1050) in page  # in the history


def test_redeem_all_and_a_second_tap_books_nothing_more(world):
    client, voucher = world["client"], world["voucher_a"]
    lookup(client, CODE_A)
    assert redeem(client, "all", 2750).status_code == 302
    assert voucher.balance() == 0
    # The same form sent again (double tap, reload of an old page): the balance has changed.
    response = redeem(client, "all", 2750)
    assert response.status_code == 400
    assert voucher.redemptions.count() == 1


def test_more_than_the_balance_is_refused_and_the_balance_unchanged(world):
    client, voucher = world["client"], world["voucher_a"]
    lookup(client, CODE_A)
    response = redeem(client, "amount", 2750, "30")
    assert response.status_code == 400
    message = de(
        lambda: (
            services._("Only %(balance)s are left on this voucher.")
            % {"balance": format_money(2750)}
        )
    )
    assert message in response.content.decode()
    assert voucher.balance() == 2750
    assert not voucher.redemptions.exists()


def test_an_expired_voucher_is_refused(world):
    client, voucher = world["client"], world["voucher_a"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Voucher.objects.filter(pk=voucher.pk).update(valid_until=yesterday)
    lookup(client, CODE_A)
    response = redeem(client, "all", 2750)
    assert response.status_code == 400
    assert voucher.balance() == 2750
    assert not voucher.redemptions.exists()


def test_a_refunded_voucher_is_refused(world):
    voucher = world["voucher_a"]
    payment_services.refund_create(order=voucher.order, amount=voucher.order.amount)
    lookup(world["client"], CODE_A)
    assert redeem(world["client"], "all", 2750).status_code == 400
    assert voucher.redeemed() == 0


def test_another_merchants_voucher_looks_like_an_unknown_code(world):
    client, voucher_b = world["client"], world["voucher_b"]
    foreign = lookup(client, CODE_B)
    unknown = lookup(client, UNKNOWN)
    malformed = lookup(client, "nope")

    message = de(counter.unknown_code_message)
    for response in (foreign, unknown, malformed):
        body = response.content.decode()
        assert response.status_code == 400 and message in body
        assert voucher_b.code_hint not in body and "Bäckerei" not in body
        assert de(format_money, 2000) not in body
    # Nothing opened: the page still asks for a code.
    assert 'name="code"' in client.get("/admin/support/redeem/").content.decode()


def test_merchant_cannot_redeem_another_merchants_voucher_even_with_a_forged_session(world):
    client, voucher_b = world["client"], world["voucher_b"]
    session = client.session
    session[counter.SESSION_KEY] = {"voucher": voucher_b.pk, "at": time.time()}
    session.save()
    response = redeem(client, "all", 2000)
    assert response.status_code == 302
    assert voucher_b.balance() == 2000
    body = client.get("/admin/support/redeem/").content.decode()
    assert voucher_b.code_hint not in body


def test_lookups_are_rate_limited_per_user(world):
    client = world["client"]
    for _ in range(counter.LOOKUP_LIMIT):
        assert lookup(client, UNKNOWN).status_code == 400
    # Blocked: even the right code gets no answer now.
    response = lookup(client, CODE_A)
    assert response.status_code == 400
    too_many = de(counter._, "Too many unknown codes. Please wait a few minutes and try again.")
    assert too_many in response.content.decode()
    assert 'name="code"' in client.get("/admin/support/redeem/").content.decode()
    # Another merchant is not affected.
    assert lookup(world["client_b"], CODE_B).status_code == 302


def test_redeem_and_income_pages_are_for_merchants_only(world, editor_client):
    for url in ("/admin/support/redeem/", "/admin/support/income/"):
        assert editor_client.get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the login page


# --- income and the supporter wall -------------------------------------------------------


def test_income_totals_are_the_ledger_sums(world, site):
    page = world["a"].page
    campaign_order = paid(
        services.order_campaign(merchant=page, amount=4000, buyer=world["buyer"], site=site)
    )
    payment_services.refund_create(order=campaign_order, amount=1000)
    services.voucher_redeem(
        voucher=world["voucher_a"], merchant=page, amount=500, user=world["a"].user
    )
    LedgerEntry.objects.create(
        kind=LedgerEntry.Kind.PAYOUT, amount=-3000, currency="EUR", site=site, merchant=page
    )
    entries = LedgerEntry.objects.filter(merchant=page)

    totals = selectors.income_totals(page)

    assert totals["raised"] == payment_selectors.raised(entries) == 2500 + 1500 + 4000 - 1000
    assert totals["supporters"] == payment_selectors.supporters(entries) == 3
    assert totals["vouchers"] == 2500 and totals["donations"] == 1500
    assert totals["campaigns"] == 3000
    assert totals["refunds"] == 1000 and totals["redeemed"] == 500
    assert totals["payouts"] == 3000
    assert totals["open_vouchers"] == 2750 - 500

    body = world["client"].get("/admin/support/income/").content.decode()
    shown = dict(re.findall(r'<td data-total="(\w+)">(?:<strong>)?([^<]*)<', body))
    assert shown == {
        key: de(format_money, cents)
        for key, cents in {
            "vouchers": 2500,
            "donations": 1500,
            "campaigns": 3000,
            "raised": 7000,
            "refunds": 1000,
            "fees": 0,
            "payouts": 3000,
            "redeemed": 500,
            "open_vouchers": 2250,
        }.items()
    }
    assert "Max Muster" in body and "Erika Mustermann" in body  # buyers' names
    # Nothing of B's.
    assert "Bäckerei" not in body and de(format_money, 700) not in body


def test_dashboard_shows_the_support_panel_to_merchants(world):
    body = world["client"].get("/admin/").content.decode()
    entries = LedgerEntry.objects.filter(merchant=world["a"].page)
    assert de(format_money, payment_selectors.raised(entries)) in body
    assert 'id="support-section"' in body
    assert "/admin/support/redeem/" in body and "/admin/support/income/" in body


def test_merchant_moderates_their_wall_but_not_anothers(world):
    client, own, foreign = world["client"], world["donation_a"], world["donation_b"]
    assert own.support.wall == foreign.support.wall == SupportOrder.Wall.PENDING
    body = client.get("/admin/support/income/").content.decode()
    assert "Haltet durch!" in body

    response = client.post(f"/admin/support/income/wall/{own.pk}/", {"wall": "show"})
    assert response.status_code == 302
    own.support.refresh_from_db()
    assert own.support.wall == SupportOrder.Wall.SHOWN
    client.post(f"/admin/support/income/wall/{own.pk}/", {"wall": "hide"})
    own.support.refresh_from_db()
    assert own.support.wall == SupportOrder.Wall.HIDDEN

    response = client.post(f"/admin/support/income/wall/{foreign.pk}/", {"wall": "show"})
    assert response.status_code == 404
    foreign.support.refresh_from_db()
    assert foreign.support.wall == SupportOrder.Wall.PENDING


# --- editors -----------------------------------------------------------------------------


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and "/admin/support-report/" not in response["Location"]


def test_merchants_cannot_open_the_report_or_the_orders(world):
    client, order = world["client"], world["donation_a"]
    for url in (
        "/admin/support-report/",
        "/admin/support-report/csv/",
        "/admin/orders/",
        f"/admin/orders/{order.pk}/",
    ):
        response = client.get(url)
        assert refused(response), url
        assert "Bäckerei" not in response.content.decode()
    response = client.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 0}
    )
    assert refused(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert "/admin/orders/" not in client.get("/admin/").content.decode()


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))


def test_report_totals_equal_the_ledger_sums_and_the_csv(world, editor_client, site):
    page_a, page_b = world["a"].page, world["b"].page
    campaign_order = paid(
        services.order_campaign(merchant=page_a, amount=4000, buyer=world["buyer"], site=site)
    )
    payment_services.refund_create(order=campaign_order, amount=1000)
    services.voucher_redeem(voucher=world["voucher_a"], merchant=page_a, amount=500)
    ledger = LedgerEntry.objects.all()

    response = editor_client.get("/admin/support-report/")
    assert response.status_code == 200
    sections = {s.key: {row["name"]: row for row in s.rows} for s in response.context["sections"]}
    page = re.sub(r"[ \n]+", " ", response.content.decode())  # amounts keep their NBSP

    expected = {
        ("total", "Total"): ledger,
        ("city", "Dortmund"): ledger.filter(site=site),
        ("city", "Bochum"): ledger.filter(site=world["other_city"]),
        ("merchant", page_a.title): ledger.filter(merchant=page_a),
        ("merchant", page_b.title): ledger.filter(merchant=page_b),
        ("campaign", "Neue Kühltheke"): ledger.filter(
            order__support__campaign=campaign_order.support.campaign
        ),
        ("initiative", world["initiative"].name): ledger.filter(
            merchant__initiatives=world["initiative"]
        ),
    }
    rows = csv_rows(editor_client.get("/admin/support-report/csv/"))
    assert "EUR" in rows[0][3]
    csv_by_name = {(row[1], row[0]): row for row in rows[1:]}
    section_titles = {s.key: s.title for s in response.context["sections"]}
    for (key, name), entries in expected.items():
        if key == "total":
            name = next(iter(sections["total"]))
        row = sections[key][name]
        assert row["raised"] == payment_selectors.raised(entries), (key, name)
        assert row["supporters"] == payment_selectors.supporters(entries), (key, name)
        redeemed = -sum(entries.filter(kind="redemption").values_list("amount", flat=True))
        assert row["redeemed"] == redeemed
        line = csv_by_name[(name, section_titles[key])]
        assert line[3] == euros(payment_selectors.raised(entries))
        assert line[4] == str(payment_selectors.supporters(entries))
        cells = (
            f'<th scope="row">{escape(name)}</th> <td>[^<]*</td> '
            f"<td>{de(format_money, payment_selectors.raised(entries))}</td> "
            f"<td>{payment_selectors.supporters(entries)}</td>"
        )
        assert re.search(cells, page), (key, name)  # the row as the editor reads it
    assert sections["merchant"][page_a.title]["raised"] == 2500 + 1500 + 4000 - 1000
    assert sections["city"]["Bochum"]["raised"] == 2000 + 700
    assert sections["initiative"][world["initiative"].name]["raised"] == 7000
    assert csv_by_name[(page_a.title, section_titles["merchant"])][3] == "70,00"


def test_the_report_filters_by_date(world, editor_client):
    old = timezone.now() - datetime.timedelta(days=40)
    LedgerEntry.objects.filter(order=world["donation_b"]).update(created_at=old)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = editor_client.get("/admin/support-report/", {"date_from": since})
    sections = {s.key: {row["name"]: row for row in s.rows} for s in response.context["sections"]}
    assert sections["city"]["Bochum"]["raised"] == 2000
    rows = csv_rows(editor_client.get("/admin/support-report/csv/", {"date_from": since}))
    bochum = [row for row in rows if row[1] == "Bochum"]
    assert bochum[0][3] == "20,00"


def test_editor_refunds_part_of_an_order(world, editor_client):
    order = world["donation_a"]
    listing = editor_client.get("/admin/orders/", {"status": "paid"})
    assert listing.status_code == 200 and "Max Muster" in listing.content.decode()
    detail = editor_client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert "Max Muster &lt;max@example.org&gt;" in detail
    assert "Bisher erstattet: 0\N{NO-BREAK SPACE}€. Bis zu 15\N{NO-BREAK SPACE}€ können" in detail
    assert 'name="action" value="amount"' in detail

    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "amount", "amount": "5,00", "refunded_before": 0}
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    refund = order.ledger_entries.get(kind=LedgerEntry.Kind.REFUND)
    assert refund.amount == -500 and refund.user.username == "editor"
    # More than is left: the service's message, nothing booked.
    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "amount", "amount": "20", "refunded_before": 500}
    )
    assert response.status_code == 400
    assert de(format_money, 1000) in response.content.decode()
    assert order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).count() == 1
    # The same form sent twice (a double click): the second refunds nothing.
    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "amount", "amount": "5", "refunded_before": 0}
    )
    assert response.status_code == 400
    assert order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).count() == 1
    # No amount: nothing happens by accident.
    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "amount", "refunded_before": 500}
    )
    assert response.status_code == 400
    # "Refund all": the rest.
    editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 500}
    )
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert payment_selectors.refunded_amount(order) == 1500


def test_refund_all_of_a_partly_redeemed_voucher_refunds_the_unredeemed_part(world, editor_client):
    voucher = world["voucher_a"]  # 25 € paid, worth 27.50 €
    order = voucher.order
    services.voucher_redeem(
        voucher=voucher, merchant=world["a"].page.specific, amount=1100
    )  # 11 € of it spent: 10 € paid
    page = editor_client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert de(format_money, 1500) in page  # "Refund all (15 €)"

    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 0}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    assert payment_selectors.refunded_amount(order) == 1500
    assert voucher.balance() == 0
    # The merchant's counter sees no balance left, and owes no goods for it.
    assert selectors.income_totals(world["a"].page)["open_vouchers"] == 0


def test_a_viewer_without_change_rights_cannot_refund(world, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", "viewer@example.org", "pw")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="payments", codename="view_order"),
    )
    act_for_every_city(viewer)
    client = Client()
    client.force_login(viewer)
    order = world["donation_a"]
    # They see the orders and the report, and no refund button.
    assert "Max Muster" in client.get("/admin/orders/").content.decode()
    detail = client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert "Max Muster &lt;max@example.org&gt;" in detail
    assert 'name="action"' not in detail
    report = client.get("/admin/support-report/").content.decode()
    assert de(format_money, 2500 + 2000 + 1500 + 700) in report  # both cities' vouchers, donations
    # Wagtail answers PermissionDenied in the admin with a redirect to the dashboard.
    data = {"action": "all", "confirm": "1", "refunded_before": 0}
    assert refused(client.post(f"/admin/orders/{order.pk}/", data))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_a_refund_the_provider_refuses_shows_its_message_and_books_nothing(
    world, editor_client, monkeypatch
):
    from payments.providers import PaymentError
    from payments_demo.provider import DemoProvider

    def refuse(self, payment, amount):
        raise PaymentError("Die Bank lehnt ab.")

    monkeypatch.setattr(DemoProvider, "refund", refuse)
    order = world["donation_a"]
    response = editor_client.post(
        f"/admin/orders/{order.pk}/", {"action": "all", "confirm": "1", "refunded_before": 0}
    )
    assert response.status_code == 400
    assert "Die Bank lehnt ab." in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not order.ledger_entries.filter(kind=LedgerEntry.Kind.REFUND).exists()


def test_a_merchants_data_download_holds_their_offers_and_ledger_but_no_buyer(world):
    merchant_user = world["a"].user
    services.voucher_redeem(
        voucher=world["voucher_a"],
        merchant=world["a"].page.specific,
        amount=1000,
        user=merchant_user,
    )
    response = world["client"].get("/admin/your-data/download/")
    data = json.loads(response.content)
    assert data["offers"]["vouchers"][0]["fixed_values_cents"] == [1000, 2500, 5000]
    assert [d["name"] for d in data["offers"]["donations"]] == ["ein virtuelles Bier", "eine Runde"]
    assert [c["title"] for c in data["offers"]["campaigns"]] == ["Neue Kühltheke"]
    assert [(e["kind"], e["amount_cents"], e["currency"]) for e in data["ledger"]] == [
        ("payment", 2500, "EUR"),
        ("payment", 1500, "EUR"),
        ("redemption", -1000, "EUR"),
    ]
    text = response.content.decode()
    for foreign in ("Erika", "erika@example.org", "Max Muster", "max@example.org", "Bäckerei"):
        assert foreign not in text  # buyers' data is theirs; merchant B's is B's


def test_erasing_a_merchant_keeps_their_ledger_without_the_person(world):
    page = world["a"].page.specific
    voucher = world["voucher_a"]
    services.voucher_redeem(voucher=voucher, merchant=page, amount=1000, user=world["a"].user)
    entries_before = list(LedgerEntry.objects.filter(merchant=page).values_list("kind", "amount"))
    raised_before = payment_selectors.raised(LedgerEntry.objects.filter(merchant=page))

    accounts.erase(world["a"].pk)

    entries = LedgerEntry.objects.filter(merchant=page)
    assert list(entries.values_list("kind", "amount")) == entries_before
    assert payment_selectors.raised(entries) == raised_before
    assert entries.get(kind=LedgerEntry.Kind.REDEMPTION).user is None
    voucher.refresh_from_db()
    assert voucher.balance() == 2750 - 1000  # the buyer's voucher keeps its money
