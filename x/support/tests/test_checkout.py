"""A resident buys, donates and backs a campaign through the pages, with the demo provider."""

import datetime

import pytest

from payments.models import LedgerEntry, Order
from payments_demo.models import DemoTransaction
from support.models import SupportOrder, Voucher, VoucherOffer

pytestmark = pytest.mark.django_db

BUYER = {"buyer_name": "Erika Mustermann", "buyer_email": "erika@example.org"}


@pytest.fixture
def live_merchant(merchant):
    merchant.save_revision().publish()
    return merchant


def checkout(client, merchant, kind, **data):
    return client.post(f"/unterstuetzen/{merchant.pk}/{kind}/", {**BUYER, **data})


def demo_pay(client, response, decision="pay"):
    """Follow the checkout to the demo payment page and decide there; returns the order page."""
    assert response.status_code == 302, response.content.decode()[:2000]
    payment_page = response["Location"]
    assert payment_page.startswith("/zahlung/demo/")
    assert "Testmodus" in client.get(payment_page).content.decode()
    back = client.post(payment_page, {"decision": decision})
    return client.get(back["Location"])


def test_merchant_page_shows_offers_and_links_to_checkout(client, live_merchant):
    html = client.get(live_merchant.url).content.decode()
    assert "Kiosk an der Möllerbrücke unterstützen" in html
    assert f"/unterstuetzen/{live_merchant.pk}/gutschein/" in html
    assert "ein virtuelles Bier (3,50\N{NO-BREAK SPACE}€)" in html
    assert "Neue Kühltheke" in html
    assert "+10 % Bonus" in html


def test_merchant_page_shows_the_campaigns_rewards(client, live_merchant):
    from support.models import CampaignReward

    CampaignReward.objects.create(
        page=live_merchant, title="Ein Abend an der Theke", min_amount=5000, description="Für zwei"
    )
    html = client.get(live_merchant.url).content.decode()
    assert "Dankeschöns" in html
    assert "<strong>Ein Kaffee aufs Haus</strong> (ab 10\N{NO-BREAK SPACE}€)" in html
    assert "<strong>Ein Abend an der Theke</strong> (ab 50\N{NO-BREAK SPACE}€): Für zwei" in html
    # Once the campaign has ended there is nothing to earn.
    live_merchant.campaigns.update(deadline=datetime.date.today() - datetime.timedelta(days=1))
    assert "Ein Kaffee aufs Haus" not in client.get(live_merchant.url).content.decode()


def test_buy_a_voucher_end_to_end(client, live_merchant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = demo_pay(client, checkout(client, live_merchant, "gutschein", value="2500"))
    assert "Vielen Dank!" in page.content.decode()
    order = Order.objects.get()
    assert (order.status, order.amount, order.support.voucher_value) == ("paid", 2500, 2750)
    assert order.voucher.value == 2750
    assert LedgerEntry.objects.get().amount == 2500


def test_a_gift_voucher_can_be_sent_to_the_recipient(client, live_merchant):
    response = checkout(
        client, live_merchant, "gutschein", value="2500", recipient_email="juergen@"
    )
    assert response.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in response.content.decode()
    demo_pay(
        client,
        checkout(
            client,
            live_merchant,
            "gutschein",
            value="2500",
            recipient_name="Jürgen",
            recipient_email="juergen@example.org",
        ),
    )
    order = Order.objects.get()
    assert (order.support.recipient_email, order.buyer_email) == (
        "juergen@example.org",
        BUYER["buyer_email"],
    )


def test_free_value_inside_the_range(client, live_merchant):
    demo_pay(
        client, checkout(client, live_merchant, "gutschein", value="other", free_value="12,50")
    )
    assert Order.objects.get().amount == 1250


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "99999"}, "Diesen Wert gibt es nicht"),  # a tampered fixed value
        ({"value": "other", "free_value": "2,00"}, "Mindestens 5"),
        ({"value": "other", "free_value": "500"}, "Höchstens 200"),
        ({"value": "other", "free_value": "zehn"}, "Bitte geben Sie einen Betrag"),
        ({"value": "other", "free_value": "-5"}, "Bitte geben Sie einen Betrag"),
        ({"value": "other", "free_value": "1e3"}, "Bitte geben Sie einen Betrag"),
        ({"value": "other"}, "Bitte geben Sie den gewünschten Wert an"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(client, live_merchant, data, message):
    response = checkout(client, live_merchant, "gutschein", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_sold_out_offer_refuses_the_next_buyer(client, live_merchant):
    VoucherOffer.objects.filter(page=live_merchant).update(stock=1)
    demo_pay(client, checkout(client, live_merchant, "gutschein", value="1000"))
    response = checkout(client, live_merchant, "gutschein", value="1000")
    assert response.status_code == 400
    assert "alle Gutscheine verkauft" in response.content.decode()
    assert Order.objects.count() == 1
    assert "Ausverkauft" in client.get(live_merchant.url).content.decode()


def test_declined_payment_can_be_retried(client, live_merchant):
    page = demo_pay(client, checkout(client, live_merchant, "gutschein", value="1000"), "decline")
    assert "Die Zahlung hat nicht geklappt" in page.content.decode()
    order = Order.objects.get()
    assert order.status == "failed"
    retry = client.post(f"/bestellung/{order.reference}/bezahlen/")
    page = demo_pay(client, retry)
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.payments.count() == 2
    assert LedgerEntry.objects.count() == 1


def test_donation_with_a_preset_and_the_supporter_wall(client, live_merchant):
    preset = live_merchant.donation_presets.get(name="ein virtuelles Bier")
    demo_pay(
        client,
        checkout(
            client,
            live_merchant,
            "spende",
            preset=str(preset.pk),
            on_wall="on",
            supporter_name="Jupp",
            supporter_message="Prost!",
        ),
    )
    order = Order.objects.get()
    assert (order.kind, order.amount, order.item, order.support.wall) == (
        "donation",
        350,
        "ein virtuelles Bier",
        "pending",
    )
    # Not on the wall until the merchant approves it.
    assert "Prost!" not in client.get(live_merchant.url).content.decode()
    SupportOrder.objects.filter(order=order.pk).update(wall=SupportOrder.Wall.SHOWN)
    html = client.get(live_merchant.url).content.decode()
    assert "Jupp" in html and "Prost!" in html
    assert "1 Unterstützer" in html


def test_wall_messages_are_escaped(client, live_merchant):
    demo_pay(
        client,
        checkout(
            client,
            live_merchant,
            "spende",
            preset="other",
            free_amount="5",
            on_wall="on",
            supporter_name="<script>alert(1)</script>",
        ),
    )
    SupportOrder.objects.update(wall=SupportOrder.Wall.SHOWN)
    html = client.get(live_merchant.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_campaign_states_what_happens_if_the_goal_is_missed(client, live_merchant):
    page = client.get(f"/unterstuetzen/{live_merchant.pk}/kampagne/").content.decode()
    assert "geht das gesammelte Geld trotzdem an Kiosk an der Möllerbrücke" in page
    refused = checkout(client, live_merchant, "kampagne", amount="20")
    assert refused.status_code == 400  # the statement must be acknowledged
    reward = live_merchant.campaign_rewards.get()
    too_little = checkout(
        client, live_merchant, "kampagne", amount="5", reward=str(reward.pk), understood="on"
    )
    assert "Diese Belohnung gibt es ab 10" in too_little.content.decode()
    demo_pay(
        client,
        checkout(
            client, live_merchant, "kampagne", amount="20", reward=str(reward.pk), understood="on"
        ),
    )
    html = client.get(live_merchant.url).content.decode()
    assert "<strong>20\N{NO-BREAK SPACE}€</strong> von 5.000\N{NO-BREAK SPACE}€" in html


def test_home_page_shows_the_city_total_from_the_ledger(client, live_merchant, home_page):
    demo_pay(client, checkout(client, live_merchant, "gutschein", value="2500"))
    demo_pay(client, checkout(client, live_merchant, "spende", preset="other", free_amount="7,50"))
    html = client.get("/").content.decode()
    assert "Schon <strong>32,50\N{NO-BREAK SPACE}€</strong>" in html


def test_payment_attempts_are_rate_limited(client, live_merchant, settings):
    settings.PAYMENT_RATE_LIMIT = 3
    for _ in range(3):
        assert checkout(client, live_merchant, "gutschein", value="1000").status_code == 302
    response = checkout(client, live_merchant, "gutschein", value="1000")
    assert response.status_code == 429
    assert Order.objects.count() == 3


def test_unpublished_or_unknown_merchants_sell_nothing(client, merchant):
    merchant.unpublish()
    assert checkout(client, merchant, "gutschein", value="1000").status_code == 404
    merchant.save_revision().publish()
    assert client.get(f"/unterstuetzen/{merchant.pk}/socken/").status_code == 404
    assert client.get("/unterstuetzen/999999/gutschein/").status_code == 404


def test_the_return_url_and_a_reload_fulfil_once(client, live_merchant):
    response = checkout(client, live_merchant, "gutschein", value="1000")
    reference = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    DemoTransaction.objects.filter(reference=reference).update(state="paid")
    order = Order.objects.get()
    for _ in range(3):
        client.get(f"/bestellung/{order.reference}/")
    assert Voucher.objects.count() == 1
    assert LedgerEntry.objects.count() == 1


def test_presets_alone_are_a_donation_offer_that_can_be_given(client, directory_page):
    from directory.tests.factories import MerchantPageFactory
    from support.models import DonationPreset

    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    DonationPreset.objects.create(page=bakery, name="ein Brötchen", amount=150)
    bakery.save_revision().publish()
    bakery.refresh_from_db()
    assert bakery.has_donation_offer  # the map's and search's flag

    assert f"/unterstuetzen/{bakery.pk}/spende/" in client.get(bakery.url).content.decode()
    preset = bakery.donation_presets.get()
    page = demo_pay(client, checkout(client, bakery, "spende", preset=str(preset.pk)))
    assert "Vielen Dank!" in page.content.decode()
    order = Order.objects.get()
    assert (order.status, order.amount, order.item, order.support.wall) == (
        "paid",
        150,
        "ein Brötchen",
        "",
    )
    # Only the presets: no free amount to be had.
    response = checkout(client, bakery, "spende", preset="other", free_amount="50")
    assert response.status_code == 400
    assert Order.objects.count() == 1


def test_donation_settings_with_nothing_to_give_are_no_offer(client, directory_page):
    from directory.tests.factories import MerchantPageFactory
    from support.models import DonationOffer

    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    DonationOffer.objects.create(page=bakery, free_amount=False, supporter_wall=True)
    bakery.save_revision().publish()
    bakery.refresh_from_db()
    assert not bakery.has_donation_offer
    assert f"/unterstuetzen/{bakery.pk}/spende/" not in client.get(bakery.url).content.decode()
    assert client.get(f"/unterstuetzen/{bakery.pk}/spende/").status_code == 404
