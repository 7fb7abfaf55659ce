"""A merchant downloads everything the portal holds about them and can have it deleted."""

import json
from datetime import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupPagePermission

from directory.geo import format_point
from directory.models import (
    MerchantAccount,
    MerchantGalleryImage,
    MerchantOpeningHours,
    MerchantPage,
    MerchantSocialLink,
    Registration,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant(make_merchant):
    """Kiosk Alpha online with everything a page holds: story, hours, links, gallery..."""
    account = make_merchant("Kiosk Alpha", "alpha@example.org", wants_vouchers="on")
    shop = Image.objects.create(
        title="Unser Laden", file=get_test_image_file(), collection=account.collection
    )
    page = account.page.specific
    page.phone, page.email = "0231 555", "laden@example.org"
    page.location = format_point(51.5123, 7.4567)
    page.story = [{"type": "heading", "value": "Seit 1987 am Platz"}]
    page.opening_hours = [MerchantOpeningHours(weekday=0, opens=time(7), closes=time(19))]
    page.hours_note = "Sonntags geschlossen"
    page.social_links = [MerchantSocialLink(platform="instagram", url="https://insta.example/a")]
    page.gallery_images = [MerchantGalleryImage(image=shop, caption="Die Theke")]
    page.hero_image = shop
    page.save_revision().publish()
    client = Client()
    client.force_login(account.user)
    return account, client


def test_a_merchant_downloads_all_their_data(merchant):
    account, client = merchant
    response = client.get("/admin/your-data/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["user"]["email"] == "alpha@example.org"
    assert data["page"]["title"] == "Kiosk Alpha"
    assert data["page"]["phone"] == "0231 555"
    [registration] = data["registrations"]
    assert registration["contact_name"] == "Aylin Demir"
    assert registration["offers"] == ["Gutscheine"]
    assert "password" not in json.dumps(registration)
    assert [image["title"] for image in data["images"]] == ["Unser Laden"]
    page = data["page"]
    assert page["location"] == {"latitude": "51.512300", "longitude": "7.456700"}
    assert [block["value"] for block in page["story"]] == ["Seit 1987 am Platz"]
    assert page["opening_hours"] == [{"weekday": "Montag", "opens": "07:00", "closes": "19:00"}]
    assert page["hours_note"] == "Sonntags geschlossen"
    assert page["social_links"] == [{"platform": "instagram", "url": "https://insta.example/a"}]
    assert [(g["title"], g["caption"]) for g in page["gallery"]] == [("Unser Laden", "Die Theke")]
    assert page["hero_image"]["title"] == "Unser Laden"
    assert page["category"] == "Kiosk"


def test_the_download_holds_a_draft_not_yet_online(merchant):
    account, client = merchant
    draft = account.page.specific.get_latest_revision_as_object()
    draft.hours_note = "Neu: sonntags 10 bis 14 Uhr"
    draft.save_revision(user=account.user)
    page = client.get("/admin/your-data/download/").json()["page"]
    assert page["hours_note"] == "Neu: sonntags 10 bis 14 Uhr"
    assert page["live"] is True


def test_the_data_pages_are_for_merchants_only(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/your-data/").status_code == 404
    assert client.get("/admin/your-data/download/").status_code == 404


def test_deletion_is_requested_confirmed_by_an_editor_and_removes_personal_data(merchant, reviewer):
    account, client = merchant
    page_pk, user_pk = account.page.pk, account.user.pk
    group_pk, collection_pk = account.group.pk, account.collection.pk
    mail.outbox.clear()

    assert client.post("/admin/your-data/").status_code == 302
    account.refresh_from_db()
    assert account.deletion_requested_at is not None
    assert mail.outbox[-1].to == ["moderation@example.org"]
    client.post("/admin/your-data/")  # asking twice sends no second mail
    assert len(mail.outbox) == 1

    editor = Client()
    editor.force_login(reviewer)
    listing = editor.get("/admin/merchant-accounts/", {"deletion_requested": "true"})
    assert "Kiosk Alpha" in listing.content.decode()
    response = editor.post(f"/admin/merchant-accounts/{account.pk}/")
    assert response.status_code == 302

    page = MerchantPage.objects.get(pk=page_pk)
    assert not page.live
    assert (page.phone, page.email, page.owner) == ("", "", None)
    assert page.revisions.count() == 1
    assert "0231 555" not in json.dumps(page.revisions.get().content)
    assert not get_user_model().objects.filter(pk=user_pk).exists()
    assert not Group.objects.filter(pk=group_pk).exists()
    assert not GroupPagePermission.objects.filter(page=page).exists()
    assert not Collection.objects.filter(pk=collection_pk).exists()
    assert not Image.objects.filter(title="Unser Laden").exists()
    assert not MerchantAccount.objects.exists()
    registration = Registration.objects.get(business_name="Kiosk Alpha")
    assert (registration.contact_name, registration.email, registration.phone) == ("", "", "")
    assert registration.status == Registration.Status.APPROVED  # the decision stays on record
    assert page.has_owner is False  # the entry can be claimed again


def test_an_account_without_a_request_is_not_deleted(merchant, reviewer):
    account, _client = merchant
    editor = Client()
    editor.force_login(reviewer)
    editor.post(f"/admin/merchant-accounts/{account.pk}/")
    assert MerchantAccount.objects.filter(pk=account.pk).exists()


def test_a_moderator_without_superuser_rights_confirms_a_deletion(merchant, moderator):
    account, client = merchant
    mail.outbox.clear()
    client.post("/admin/your-data/")
    assert "pruefung@example.org" in mail.outbox[-1].to

    editor = Client()
    editor.force_login(moderator)
    listing = editor.get("/admin/merchant-accounts/", {"deletion_requested": "true"})
    assert "Kiosk Alpha" in listing.content.decode()
    assert editor.post(f"/admin/merchant-accounts/{account.pk}/").status_code == 302
    assert not MerchantAccount.objects.filter(pk=account.pk).exists()
