"""A moderator follows the notification mail to the list of deletion requests, opens the request
from there and confirms it; whoever may only look opens it too, but cannot erase."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from core.testing import act_for_every_city
from directory.models import MerchantAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(make_merchant):
    """Kiosk Alpha, whose merchant asked for deletion (the moderators got the mail)."""
    account = make_merchant("Kiosk Alpha", "alpha@example.org")
    merchant = Client()
    merchant.force_login(account.user)
    mail.outbox.clear()
    assert merchant.post("/admin/your-data/").status_code == 302
    return account


def row_link(listing, name: str) -> str:
    """The link of the list's row that names `name`."""
    html = listing.content.decode()
    links = re.findall(r'<a[^>]+href="(/admin/merchant-accounts/[^"?]+)"[^>]*>\s*([^<]*)', html)
    found = [href for href, text in links if name in text]
    assert found, f"no link to {name} in the list"
    return found[0]


def test_a_moderator_opens_the_request_from_the_mailed_list_and_erases(requested, moderator):
    [notice] = mail.outbox
    listing_url = re.search(r"http://[^/\s]+(/admin/merchant-accounts/\S*)", notice.body).group(1)
    client = Client()
    client.force_login(moderator)
    listing = client.get(listing_url, {"deletion_requested": "true"})
    assert listing.status_code == 200

    detail_url = row_link(listing, "Kiosk Alpha")
    page = client.get(detail_url)
    assert page.status_code == 200
    assert "Konto und persönliche Daten löschen" in page.content.decode()

    assert client.post(detail_url).status_code == 302
    assert not MerchantAccount.objects.filter(pk=requested.pk).exists()


def test_who_may_only_view_accounts_opens_the_request_but_cannot_erase(
    requested, django_user_model
):
    viewer = django_user_model.objects.create_user("leserin", "leserin@example.org", "pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_merchantaccount"),
    )
    act_for_every_city(viewer)
    client = Client()
    client.force_login(viewer)
    detail_url = row_link(client.get("/admin/merchant-accounts/"), "Kiosk Alpha")
    page = client.get(detail_url)
    assert page.status_code == 200
    assert "Konto und persönliche Daten löschen" not in page.content.decode()
    refused = client.post(detail_url)  # Wagtail's admin answers a refusal with a redirect
    assert (refused.status_code, refused.get("Location")) in ((403, None), (302, "/admin/"))
    assert MerchantAccount.objects.filter(pk=requested.pk).exists()


def test_a_merchant_cannot_open_another_account(requested, make_merchant):
    other = make_merchant("Kiosk Beta", "beta@example.org")
    client = Client()
    client.force_login(other.user)
    assert client.get(f"/admin/merchant-accounts/{requested.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/merchant-accounts/{requested.pk}/").status_code in (302, 403)
    assert MerchantAccount.objects.filter(pk=requested.pk).exists()
