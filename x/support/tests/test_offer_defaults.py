"""An offer's settings row saved with every field at its default is kept: Django's formsets
drop an added inline row equal to its initial values, which left merchants with "updated" on
the screen and no donations at all. Sent through the real admin edit view."""

import pytest

from directory.models import MerchantPage
from directory.tests.conftest import make_merchant, register, reviewer  # noqa: F401

from .test_offers import save_offers

pytestmark = pytest.mark.django_db


def test_donation_settings_left_at_their_defaults_are_kept(make_merchant):  # noqa: F811
    page, response = save_offers(
        make_merchant,
        {
            "donation_offers-TOTAL_FORMS": "1",
            "donation_offers-INITIAL_FORMS": "0",
            # Both boxes ticked, as the form offers them: nothing differs from the defaults.
            "donation_offers-0-free_amount": "on",
            "donation_offers-0-supporter_wall": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    [offer] = saved.donation_offers.all()
    assert offer.free_amount and offer.supporter_wall
