"""Merchants set up their offers on their own page; offers go live with the reviewed page and
drive the map's and search's offer flags."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import MerchantPage
from directory.tests.conftest import make_merchant, register, reviewer  # noqa: F401
from payments.money import EuroListFormField, format_money, parse_euros
from support.models import DonationPreset, VoucherOffer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("25", 2500), ("3,50", 350), ("3.50", 350), ("1.000,00", 100000), (" 7 € ", 700)],
)
def test_euros_typed_every_which_way(typed, cents):
    assert parse_euros(typed) == cents


@pytest.mark.parametrize("typed", ["", "zehn", "-5", "1e3", "3,555", "NaN", "Infinity", "1/2"])
def test_nonsense_amounts_are_refused(typed):
    with pytest.raises(ValidationError):
        parse_euros(typed)


def test_fixed_values_list():
    field = EuroListFormField()
    assert field.clean("10, 25, 50") == [1000, 2500, 5000]
    assert field.clean("3,50; 10") == [350, 1000]
    assert field.clean("50 10 10") == [1000, 5000]
    # Shown as people write amounts, and read back as shown.
    shown = field.prepare_value([350, 1000, 2500])
    assert shown == "3,50\N{NO-BREAK SPACE}€, 10\N{NO-BREAK SPACE}€, 25\N{NO-BREAK SPACE}€"
    assert field.clean(shown) == [350, 1000, 2500]
    assert field.clean("10 €, 25€") == [1000, 2500]
    with pytest.raises(ValidationError):
        field.clean("10, 0")
    assert format_money(350) == "3,50\N{NO-BREAK SPACE}€"


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"fixed_values": []}, "fixed_values"),
        ({"fixed_values": [1000], "free_value_min": 500}, "free_value_max"),
        ({"fixed_values": [], "free_value_min": 5000, "free_value_max": 1000}, "free_value_max"),
        ({"fixed_values": [500000]}, "fixed_values"),
    ],
)
def test_voucher_offer_validation(fields, error_field):
    with pytest.raises(ValidationError) as error:
        VoucherOffer(**fields).clean()
    assert error_field in error.value.message_dict


def edit_form(client, page) -> dict:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Angebote" in html  # the Offers tab
    data = querydict_from_html(html, form_id="page-edit-form")
    data["story-count"] = "0"  # StreamFields are drawn by JavaScript: post an empty one
    return data


def test_merchant_sets_up_vouchers_which_go_live_with_the_approved_page(
    make_merchant,  # noqa: F811
    reviewer,  # noqa: F811
    client,
):
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    page = account.page.specific
    page.save_revision().publish()
    merchant = Client()
    merchant.force_login(account.user)
    form = edit_form(merchant, page)
    form.update(
        {
            "voucher_offers-TOTAL_FORMS": "1",
            "voucher_offers-INITIAL_FORMS": "0",
            "voucher_offers-0-fixed_values": "10, 25, 50",
            "voucher_offers-0-free_value_min": "",
            "voucher_offers-0-free_value_max": "",
            "voucher_offers-0-validity_years": "3",
            "voucher_offers-0-stock": "100",
            "voucher_offers-0-bonus_percent": "10",
        }
    )
    form["action-publish"] = "action-publish"  # refused: merchants cannot publish
    response = merchant.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302
    assert not VoucherOffer.objects.filter(page=page).exists()  # not live yet
    assert f"/unterstuetzen/{page.pk}/gutschein/" not in client.get(page.url).content.decode()
    draft = MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [o.fixed_values for o in draft.voucher_offers.all()] == [[1000, 2500, 5000]]
    assert vouchers_found(client, "Alpha") == []

    # The editors approve (publish) the page: the offer and its map flag go live together.
    MerchantPage.objects.get(pk=page.pk).get_latest_revision().publish(user=reviewer)
    offer = VoucherOffer.objects.get(page=page)
    assert (offer.stock, offer.bonus_percent) == (100, 10)
    page.refresh_from_db()
    assert page.has_voucher_offer and not page.has_campaign
    html = client.get(page.url).content.decode()
    assert f"/unterstuetzen/{page.pk}/gutschein/" in html
    feed = json.loads(client.get("/api/map/merchants.geojson").content)
    [feature] = [f for f in feed["features"] if f["properties"]["name"] == "Kiosk Alpha"]
    assert feature["properties"]["offers"] == ["voucher"]
    assert vouchers_found(client, "Alpha") == ["Kiosk Alpha"]


def vouchers_found(client, query):
    response = client.get("/api/search", {"q": query, "offers": "voucher"})
    return [merchant["name"] for merchant in response.json()["merchants"]]


def save_offers(make_merchant, offers: dict):  # noqa: F811
    """A new merchant saves their own page with these offer fields; returns (page, response)."""
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    page = account.page.specific
    merchant = Client()
    merchant.force_login(account.user)
    form = edit_form(merchant, page)
    form.update(offers)
    return page, merchant.post(f"/admin/pages/{page.pk}/edit/", form)


def test_bad_offer_values_show_field_errors_in_the_admin(make_merchant):  # noqa: F811
    page, response = save_offers(
        make_merchant,
        {
            "voucher_offers-TOTAL_FORMS": "1",
            "voucher_offers-INITIAL_FORMS": "0",
            "voucher_offers-0-fixed_values": "",
            "voucher_offers-0-free_value_min": "50",
            "voucher_offers-0-free_value_max": "zehn",
            "voucher_offers-0-validity_years": "3",
            "voucher_offers-0-bonus_percent": "0",
        },
    )
    assert response.status_code == 200
    assert "Bitte geben Sie einen Betrag in Euro an" in response.content.decode()
    assert (
        MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object().voucher_offers.count()
        == 0
    )


def test_a_donation_preset_above_the_limit_is_a_field_error(settings):
    settings.SUPPORT_MAX_AMOUNT = 100000
    with pytest.raises(ValidationError) as error:
        DonationPreset(name="ein Fass", amount=100001).clean()
    assert list(error.value.message_dict) == ["amount"]
    DonationPreset(name="eine Runde", amount=100000).clean()  # the limit itself is fine


def test_the_admin_refuses_a_preset_checkout_would_refuse(make_merchant):  # noqa: F811
    page, response = save_offers(
        make_merchant,
        {
            "donation_presets-TOTAL_FORMS": "1",
            "donation_presets-INITIAL_FORMS": "0",
            "donation_presets-0-name": "ein Fass",
            "donation_presets-0-amount": "2000",
            "donation_presets-0-ORDER": "1",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Höchstens 1.000\N{NO-BREAK SPACE}€" in response.content.decode()
    saved = MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert saved.donation_presets.count() == 0


def test_the_campaign_flag_goes_when_the_deadline_has_passed(merchant, directory_page, client):
    from django.core.management import call_command

    from directory.tests.factories import MerchantPageFactory
    from support.models import Campaign

    bakery = MerchantPageFactory(parent=directory_page, title="Bäckerei Beta")
    Campaign.objects.create(
        page=bakery, title="Neuer Ofen", goal=100000, deadline=datetime.date.today()
    )
    for page in (merchant, bakery):
        page.save_revision().publish()
    assert campaigners(client) == ["Bäckerei Beta", "Kiosk an der Möllerbrücke"]

    # The kiosk's campaign ended yesterday; the bakery's runs until tonight.
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Campaign.objects.filter(page=merchant).update(deadline=yesterday)
    out = io.StringIO()
    call_command("refresh_offer_flags", stdout=out)
    assert "for 1 merchant" in out.getvalue()
    assert campaigners(client) == ["Bäckerei Beta"]
    merchant.refresh_from_db()
    assert merchant.has_voucher_offer and not merchant.has_campaign  # the rest stays
    search = client.get("/api/search", {"q": "Kiosk", "offers": "campaign"}).json()
    assert search["merchants"] == []


def campaigners(client) -> list[str]:
    """Who the map shows with a running campaign."""
    feed = json.loads(client.get("/api/map/merchants.geojson", {"offers": "campaign"}).content)
    return sorted(feature["properties"]["name"] for feature in feed["features"])
