"""A merchant's page and a story are public for a front cache (core/cache_headers.py) while the
checkout, whose form needs a CSRF token, sets its cookie, stays private and still takes orders."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.tests.factories import MerchantPageFactory
from pages.tests.factories import StoryIndexPageFactory, StoryPageFactory
from support.models import VoucherOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk(directory_page):
    page = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    VoucherOffer.objects.create(page=page, fixed_values=[1000, 2500])
    page.save_revision().publish()
    return page


@pytest.fixture
def story(home_page):
    index = StoryIndexPageFactory(parent=home_page, slug="geschichten")
    return StoryPageFactory(parent=index, title="Warum ich hinter dem Büdchen stehe")


@pytest.mark.parametrize("which", ["kiosk", "story"])
def test_merchant_and_story_pages_are_public_and_revalidate(request, which):
    url = request.getfixturevalue(which).url
    client = Client()
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_checkout_sets_its_csrf_cookie_stays_private_and_takes_the_order(kiosk):
    client = Client(enforce_csrf_checks=True)
    url = reverse("support:checkout", args=[kiosk.pk, "gutschein"])
    form = client.get(url)
    assert form.status_code == 200
    assert "csrftoken" in form.cookies
    assert "public" not in form.get("Cache-Control", "")
    token = form.context["csrf_token"]
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": str(token),
            "buyer_name": "Erika Mustermann",
            "buyer_email": "erika@example.org",
            "value": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert response["Location"].startswith("/zahlung/demo/")
