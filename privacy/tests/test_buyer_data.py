"""A buyer asks for their data by e-mail, follows the mailed link, downloads it as JSON and has it
deleted: their name, address and messages leave the orders, the bookkeeping does not. The
retention rule does the same for old orders whose vouchers are spent."""

import datetime
import json
import re

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from directory.tests.factories import MerchantPageFactory
from mailqueue.models import QueuedMail
from payments import selectors as money
from payments.models import LedgerEntry, Order, OrderLogEntry
from payments.tests.utils import pay_with_demo
from privacy import services
from support import services as support
from support.models import DonationOffer, SupportOrder, Voucher, VoucherOffer

pytestmark = pytest.mark.django_db

REQUEST = "/meine-daten/"
SAME_ANSWER = "Wenn wir Daten zu dieser Adresse haben, erhalten Sie eine E-Mail."


def buyer(email="erika@example.org", **fields) -> support.Buyer:
    return support.Buyer(name="Erika Mustermann", email=email, **fields)


def paid(order: Order) -> Order:
    pay_with_demo(order)
    order.refresh_from_db()
    return order


@pytest.fixture
def world(directory_page, django_capture_on_commit_callbacks):
    """Erika bought a gift voucher for Ben and donated with a message on the wall; Max bought a
    voucher too; Ben received one from Max."""
    site = Site.objects.get(is_default_site=True)
    kiosk = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    VoucherOffer.objects.create(page=kiosk, fixed_values=[2500])
    DonationOffer.objects.create(page=kiosk, free_amount=True, supporter_wall=True)
    kiosk.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        gift = paid(
            support.order_voucher(
                merchant=kiosk,
                amount=2500,
                buyer=buyer(
                    recipient_name="Ben Beispiel",
                    recipient_email="ben@example.org",
                    gift_message="Alles Gute zum Geburtstag!",
                ),
                site=site,
            )
        )
        donation = paid(
            support.order_donation(
                merchant=kiosk,
                amount=1500,
                buyer=buyer(
                    supporter_name="Erika M.", supporter_message="Haltet durch!", on_wall=True
                ),
                site=site,
            )
        )
        other = paid(
            support.order_voucher(
                merchant=kiosk,
                amount=2500,
                buyer=support.Buyer(
                    name="Max Muster",
                    email="max@example.org",
                    recipient_name="Ben",
                    recipient_email="ben@example.org",
                ),
                site=site,
            )
        )
    SupportOrder.objects.filter(order=donation).update(wall=SupportOrder.Wall.SHOWN)
    support.voucher_redeem(voucher=gift.voucher, merchant=kiosk, amount=1000)
    mail.outbox.clear()
    return {"kiosk": kiosk, "gift": gift, "donation": donation, "other": other}


def ask(client, email="erika@example.org", **extra):
    return client.post(REQUEST, {"email": email}, **extra)


def mailed_link(message) -> str:
    return re.search(r"http://testserver(/meine-daten/\S+/)", message.body).group(1)


def ledger_figures(kiosk) -> tuple:
    entries = LedgerEntry.objects.filter(merchant=kiosk)
    return (
        money.raised(entries),
        money.sum_of(entries, LedgerEntry.Kind.REDEMPTION),
        entries.count(),
        money.merchant_totals(kiosk),
    )


def test_the_request_mails_a_link_whose_download_holds_everything(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Erika@Example.org ")
    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["erika@example.org"]
    link = mailed_link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "2 Bestellungen" in page.content.decode()
    download = client.get(link + "export/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    data = json.loads(download.content)
    assert data["email"] == "erika@example.org"
    orders = {order["kind"]: order for order in data["orders"]}
    assert set(orders) == {"voucher", "donation"}  # Max's order is not hers
    assert orders["voucher"]["order_number"] == world["gift"].number
    assert orders["voucher"]["amount_cents"] == 2500
    assert orders["voucher"]["buyer_name"] == "Erika Mustermann"
    assert [p["state"] for p in orders["donation"]["payments"]] == ["succeeded"]
    [voucher] = data["vouchers"]
    assert (voucher["role"], voucher["value_cents"], voucher["balance_cents"]) == (
        "bought",
        2500,
        1500,
    )
    assert voucher["recipient_name"] == "Ben Beispiel"
    assert voucher["gift_message"] == "Alles Gute zum Geburtstag!"
    assert voucher["redemptions"][0]["amount_cents"] == 1000
    [wall] = data["wall_messages"]
    assert (wall["name"], wall["message"], wall["status"]) == ("Erika M.", "Haltet durch!", "shown")
    # The mails sent to her: the confirmations and the link itself, by subject and status.
    subjects = [m["subject"] for m in data["mails"]]
    assert subjects[-1] == message.subject
    assert any("Gutschein" in subject for subject in subjects)
    assert {m["status"] for m in data["mails"]} == {"sent"}


def test_a_recipient_finds_the_vouchers_given_to_them(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ben@example.org")
    data = client.get(mailed_link(mail.outbox[-1]) + "export/").json()
    assert data["orders"] == []
    assert sorted(v["role"] for v in data["vouchers"]) == ["received", "received"]


def test_deletion_anonymises_the_orders_and_keeps_the_bookkeeping(
    world, client, django_capture_on_commit_callbacks
):
    kiosk, gift, donation = world["kiosk"], world["gift"], world["donation"]
    code_digest = gift.voucher.code_digest
    before = ledger_figures(kiosk)
    wall_before = client.get(kiosk.url).content.decode()
    assert "Haltet durch!" in wall_before
    with django_capture_on_commit_callbacks(execute=True):
        ask(client)
    link = mailed_link(mail.outbox[-1])

    refused = client.post(link, {})  # the checkbox is the confirmation
    assert refused.status_code == 400
    assert Order.objects.filter(buyer_email="erika@example.org").count() == 2

    response = client.post(link, {"confirm": "on"})
    assert response.status_code == 302
    assert "gelöscht" in client.get(response["Location"]).content.decode()

    for order in (gift, donation):
        order.refresh_from_db()
        assert (order.buyer_name, order.buyer_email) == ("", "")
        assert order.amount in (2500, 1500) and order.paid_at and order.reference
        assert order.log_entries.filter(action="order.anonymised").exists()
    details = SupportOrder.objects.get(order=gift)
    assert (details.recipient_name, details.recipient_email, details.gift_message) == ("", "", "")
    wall = SupportOrder.objects.get(order=donation)
    assert (wall.supporter_name, wall.supporter_message, wall.wall) == ("", "", "hidden")
    assert "Haltet durch!" not in client.get(kiosk.url).content.decode()
    assert ledger_figures(kiosk) == before
    voucher = Voucher.objects.get(order=gift)
    assert (voucher.code_digest, voucher.balance()) == (code_digest, 1500)  # still valid
    assert "erika@example.org" not in json.dumps(
        list(OrderLogEntry.objects.filter(order__in=[gift, donation]).values_list("data"))
    )
    other = Order.objects.get(pk=world["other"].pk)
    assert other.buyer_email == "max@example.org"  # another buyer's order is untouched
    mailed_to = [m.to for m in QueuedMail.objects.all()]
    assert ["erika@example.org"] not in mailed_to  # the mails sent to her are gone
    assert ["max@example.org"] in mailed_to
    # The link still opens, and finds nothing any more.
    assert client.get(link + "export/").json()["orders"] == []


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world, client):
    response = ask(client, "nobody@example.org")
    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    assert mail.outbox == []


def test_expired_and_forged_links_are_refused(world, client, settings):
    token = services.access_token("erika@example.org")
    forged = signing.dumps("erika@example.org", salt="something.else")
    for bad in (forged, token[:-3] + "abc", "kaputt"):
        for url in (f"/meine-daten/{bad}/", f"/meine-daten/{bad}/export/"):
            response = client.get(url)
            assert response.status_code == 400, url
            assert "Der Link ist abgelaufen" in response.content.decode()
        assert client.post(f"/meine-daten/{bad}/", {"confirm": "on"}).status_code == 400

    settings.PRIVACY_LINK_MAX_AGE_HOURS = 0  # every link is older than that
    assert client.get(f"/meine-daten/{token}/").status_code == 400
    assert client.get(f"/meine-daten/{token}/export/").status_code == 400
    assert client.post(f"/meine-daten/{token}/", {"confirm": "on"}).status_code == 400
    settings.PRIVACY_LINK_MAX_AGE_HOURS = 24
    assert Order.objects.filter(buyer_email="erika@example.org").count() == 2
    assert client.get(f"/meine-daten/{token}/").status_code == 200


def test_the_request_form_is_rate_limited(world, client, settings):
    settings.PRIVACY_REQUEST_RATE_LIMIT = 2
    assert ask(client, "a@example.org").status_code == 200
    assert ask(client, "b@example.org").status_code == 200
    response = ask(client, "erika@example.org")
    assert response.status_code == 429
    assert "in der letzten Stunde" in response.content.decode()
    assert mail.outbox == []
    # Another connection is not locked out.
    assert ask(client, "c@example.org", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_one_address_gets_few_links_an_hour(world, client, settings):
    settings.PRIVACY_MAILS_PER_ADDRESS = 2
    for number in range(4):
        ask(client, "erika@example.org", REMOTE_ADDR=f"10.0.1.{number}")
    assert len(mail.outbox) <= 2


def test_a_bad_address_is_a_field_error(world, client):
    response = ask(client, "not-an-address")
    assert response.status_code == 400
    assert "gültige E-Mail" in response.content.decode()


def test_retention_anonymises_old_orders_whose_vouchers_are_spent(world, settings, client):
    settings.PRIVACY_RETENTION_DAYS = 3653
    gift, donation, other = world["gift"], world["donation"], world["other"]
    eleven_years_ago = timezone.now() - datetime.timedelta(days=11 * 366)
    Order.objects.filter(pk__in=[gift.pk, donation.pk]).update(created_at=eleven_years_ago)
    before = ledger_figures(world["kiosk"])

    call_command("anonymise_old_orders")
    assert ledger_figures(world["kiosk"]) == before
    donation.refresh_from_db()
    gift.refresh_from_db()
    other.refresh_from_db()
    assert donation.buyer_email == ""  # old, nothing open
    assert gift.buyer_email == "erika@example.org"  # old, but 15 € still on the voucher
    assert other.buyer_email == "max@example.org"  # recent
    assert SupportOrder.objects.get(order=donation).supporter_message == ""

    support.voucher_redeem(voucher=gift.voucher, merchant=world["kiosk"], amount=1500)
    before = ledger_figures(world["kiosk"])
    call_command("anonymise_old_orders")
    gift.refresh_from_db()
    assert gift.buyer_email == ""
    assert SupportOrder.objects.get(order=gift).recipient_email == ""
    assert ledger_figures(world["kiosk"]) == before


def test_the_retention_period_counts_from_the_end_of_the_orders_year(settings):
    settings.PRIVACY_RETENTION_DAYS = 3653
    tz = timezone.get_current_timezone()
    now = datetime.datetime(2026, 12, 2, 12, 0, tzinfo=tz)
    assert services.retention_cutoff(now) == datetime.datetime(2016, 1, 1, tzinfo=tz)
    # Orders of 2015 are due from 2026 on, not at the end of 2025.
    late_2025 = datetime.datetime(2025, 12, 20, tzinfo=tz)
    assert services.retention_cutoff(late_2025) == datetime.datetime(2015, 1, 1, tzinfo=tz)


def test_every_page_links_the_data_request_from_its_footer(world, client):
    footer = client.get("/").content.decode().rpartition("<footer")[2]
    assert 'href="/meine-daten/"' in footer and "Meine Daten" in footer
