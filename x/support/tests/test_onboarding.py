"""What a merchant ticks at registration is waiting in their page's "Offers" tab once they are
approved: prepared on the draft, online only after the editors approve the page."""

import re

import pytest

from directory import accounts
from directory.tests.conftest import make_reviewer, send_registration
from support.models import Campaign, VoucherOffer

pytestmark = pytest.mark.django_db


def approve(client, **wishes):
    registration = send_registration(client, **wishes)
    return accounts.approve(registration.pk, make_reviewer())


def test_the_ticked_offers_are_prepared_in_the_offers_tab(client, directory_page):
    account = approve(client, wants_vouchers="on", wants_donations="on")
    draft = account.page.get_latest_revision_as_object()

    [voucher] = draft.voucher_offers.all()
    assert voucher.fixed_values == [1000, 2500, 5000]
    [donation] = draft.donation_offers.all()
    assert donation.free_amount
    assert list(draft.campaigns.all()) == []  # not ticked, not prepared
    # A draft: nothing is online or on the map before the editors approve the page.
    assert not VoucherOffer.objects.exists()
    assert not account.page.live

    client.force_login(account.user)
    html = client.get(f"/admin/pages/{account.page.pk}/edit/").content.decode()
    field = re.search(r'<input[^>]*name="voucher_offers-0-fixed_values"[^>]*>', html).group(0)
    assert 'value="10\N{NO-BREAK SPACE}€, 25\N{NO-BREAK SPACE}€, 50\N{NO-BREAK SPACE}€"' in field
    assert 'name="voucher_offers-TOTAL_FORMS" value="1"' in html.replace(
        ' id="id_voucher_offers-TOTAL_FORMS"', ""
    )


def test_a_prepared_campaign_asks_for_its_details(client, directory_page):
    account = approve(client, wants_vouchers=None, wants_campaign="on")
    draft = account.page.get_latest_revision_as_object()
    [campaign] = draft.campaigns.all()
    assert campaign.title == "Trinkhalle Borsigplatz unterstützen"
    assert "Bitte beschreiben Sie" in campaign.description
    assert list(draft.voucher_offers.all()) == []
    assert not Campaign.objects.exists()


def test_nothing_ticked_nothing_prepared(client, directory_page):
    account = approve(client, wants_vouchers=None)
    assert account.page.revisions.count() == 1
