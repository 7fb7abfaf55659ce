"""A merchant who offers everything, and buyers' orders at each stage of their life."""

import datetime

import pytest
from wagtail.models import Site

from directory.tests.factories import MerchantPageFactory
from payments.tests.utils import pay_with_demo  # noqa: F401 - the support tests' too
from support import services
from support.models import Campaign, CampaignReward, DonationOffer, DonationPreset, VoucherOffer


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def merchant(directory_page):
    """Kiosk with vouchers (10/25/50 € or 5–200 €, 10 % bonus), donations and a campaign."""
    page = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    VoucherOffer.objects.create(
        page=page,
        fixed_values=[1000, 2500, 5000],
        free_value_min=500,
        free_value_max=20000,
        bonus_percent=10,
    )
    DonationOffer.objects.create(page=page, free_amount=True, supporter_wall=True)
    DonationPreset.objects.create(page=page, name="ein virtuelles Bier", amount=350, sort_order=0)
    DonationPreset.objects.create(page=page, name="eine Runde", amount=2500, sort_order=1)
    Campaign.objects.create(
        page=page,
        title="Neue Kühltheke",
        description="Die alte gibt auf.",
        goal=500000,
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    CampaignReward.objects.create(page=page, title="Ein Kaffee aufs Haus", min_amount=1000)
    return page


@pytest.fixture
def buyer():
    return services.Buyer(name="Erika Mustermann", email="erika@example.org")


@pytest.fixture
def paid_voucher(merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox):
    """A 25 € voucher (worth 27.50 €) bought and paid; returns (voucher, code from the mail)."""
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    with django_capture_on_commit_callbacks(execute=True):
        pay_with_demo(order)
    order.refresh_from_db()
    return order.voucher
