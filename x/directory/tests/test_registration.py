"""A merchant gets from "I heard about it" to an account without calling anyone; bots and
duplicates are stopped with a friendly word; an editor decides, exactly once."""

import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from directory import accounts
from directory.forms import STARTED_SALT
from directory.models import MerchantAccount, MerchantPage, Registration

from .conftest import PASSWORD, form_data, verification_link, verified_claims
from .factories import DistrictFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    return response.content.decode()


def geocode_borsigplatz(address: str):
    return (Decimal("51.521"), Decimal("7.481")) if "Borsigplatz" in address else None


# --- the form -----------------------------------------------------------------------------


def test_every_page_links_to_the_registration(client, home_page):
    assert 'href="/registrieren/"' in client.get(home_page.url).content.decode()


def test_registration_sends_a_confirmation_link(client, directory_page):
    response = client.post("/registrieren/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/registrieren/gesendet/"
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.UNVERIFIED
    assert registration.business_name == "Trinkhalle Borsigplatz"
    assert registration.wants_vouchers and not registration.wants_donations
    assert registration.password != PASSWORD  # stored hashed
    assert registration.terms_accepted_at is not None
    [message] = mail.outbox
    assert message.to == ["aylin@example.org"]
    assert "/registrieren/bestaetigen/" in message.body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"business_name": ""}, "business_name", "Dieses Feld muss ausgefüllt werden."),
        ({"email": "aylin-at-example"}, "email", "Bitte geben Sie eine gültige E-Mail-Adresse"),
        ({"password": "1234"}, "password", "Dieses Passwort ist zu kurz."),
        ({"accept_terms": None}, "accept_terms", "Bitte akzeptieren Sie die Nutzungsbedingungen"),
        ({"category": ""}, "category", "Dieses Feld muss ausgefüllt werden."),
    ],
)
def test_bad_input_gets_field_errors_and_keeps_the_rest(
    client, directory_page, overrides, field, message
):
    response = client.post("/registrieren/", form_data(**overrides))
    assert response.status_code == 400
    assert message in errors(response)
    assert f'id="id_{field}_error"' in errors(response)  # Django ties it to the input
    assert 'value="Borsigplatz 3"' in errors(response)  # nothing typed is lost
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_errors_are_listed_at_the_top_each_linked_to_its_field(client, directory_page):
    response = client.post("/registrieren/", form_data(email="aylin-at-example", accept_terms=None))
    html = errors(response)
    start = html.index('role="alert" id="form-errors" tabindex="-1" data-error-summary')
    summary = html[start : html.index("</ul>", start)]
    assert 'href="#id_email"' in summary and "E-Mail: Bitte geben Sie eine gültige" in summary
    assert 'href="#id_accept_terms"' in summary
    assert "js/error-summary.js" in html  # focuses the summary on load


def test_the_offer_checkboxes_answer_one_question(client, directory_page):
    html = client.get("/registrieren/").content.decode()
    fieldset = html[html.index('<fieldset class="form-fieldset">') : html.index("</fieldset>")]
    assert "<legend>Was möchten Sie anbieten?</legend>" in fieldset
    for name in ("wants_vouchers", "wants_donations", "wants_campaign"):
        assert f'name="{name}"' in fieldset
    assert 'name="accept_terms"' not in fieldset


# --- spam and floods ----------------------------------------------------------------------


def test_the_honeypot_stops_bots(client, directory_page):
    response = client.post("/registrieren/", form_data(homepage="https://spam.example"))
    assert response.status_code == 400
    assert "Ein Feld, das leer bleiben muss, wurde ausgefüllt" in errors(response)
    assert not Registration.objects.exists()


def test_a_form_sent_too_fast_is_refused_kindly_and_can_be_sent_again(client, directory_page):
    response = client.post(
        "/registrieren/", form_data(started=signing.dumps(time.time(), salt=STARTED_SALT))
    )
    assert response.status_code == 400
    assert "Das ging sehr schnell!" in errors(response)
    assert not Registration.objects.exists()
    # The page carries a fresh timestamp: sending it again as it is now works.
    fresh = response.context["form"].data["started"]
    assert client.post("/registrieren/", form_data(started=fresh)).status_code == 302


def test_a_forged_timestamp_is_refused(client, directory_page):
    response = client.post("/registrieren/", form_data(started="12345"))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_too_many_forms_from_one_address_are_rate_limited(client, directory_page, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    for n in range(2):
        response = client.post(
            "/registrieren/", form_data(email=f"a{n}@example.org", street=f"Weg {n}")
        )
        assert response.status_code == 302
    response = client.post("/registrieren/", form_data(email="a9@example.org", street="Weg 9"))
    assert response.status_code == 429
    assert "in einer Stunde" in errors(response)
    assert Registration.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        "/registrieren/", form_data(email="b@example.org", street="Weg 10"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


# --- duplicates ---------------------------------------------------------------------------


def test_the_same_email_cannot_register_twice(client, register):
    register(verify=False)
    response = client.post("/registrieren/", form_data(street="Ganz anderer Weg 1"))
    assert response.status_code == 400
    assert "Diese E-Mail-Adresse ist bereits registriert." in errors(response)
    assert Registration.objects.count() == 1


def test_an_expired_registration_blocks_neither_the_email_nor_the_business(client, register):
    first = register(verify=False)
    old_link = verification_link(mail.outbox[-1])
    Registration.objects.filter(pk=first.pk).update(
        created_at=first.created_at - accounts.VERIFY_MAX_AGE - timedelta(minutes=1)
    )

    # The same person, same address and business, once the link has expired: welcome again.
    response = client.post("/registrieren/", form_data(street="Borsigplatz 3"))
    assert response.status_code == 302, errors(response)
    [second] = Registration.objects.all()
    assert second.pk != first.pk  # the expired one is gone, personal data and all
    assert client.get(verification_link(mail.outbox[-1])).status_code == 200
    second.refresh_from_db()
    assert second.status == Registration.Status.PENDING
    stale = client.get(old_link)
    assert stale.status_code == 400
    assert "Diese Registrierung gibt es nicht mehr." in errors(stale)


def test_an_expired_registration_does_not_block_someone_else(client, register):
    first = register(verify=False, email="squatter@example.org")
    Registration.objects.filter(pk=first.pk).update(
        created_at=first.created_at - accounts.VERIFY_MAX_AGE - timedelta(minutes=1)
    )
    response = client.post("/registrieren/", form_data(email="aylin@example.org"))
    assert response.status_code == 302, errors(response)
    assert list(Registration.objects.values_list("email", flat=True)) == ["aylin@example.org"]


def test_the_email_of_an_existing_user_is_taken(client, directory_page, django_user_model):
    django_user_model.objects.create_user("aylin", "Aylin@Example.org", "pw")
    response = client.post("/registrieren/", form_data())
    assert "Diese E-Mail-Adresse ist bereits registriert." in errors(response)


def test_the_same_business_at_the_same_address_is_caught(client, register):
    register(verify=False)
    response = client.post(
        "/registrieren/",
        form_data(email="someone@example.org", business_name="TRINKHALLE borsigplatz"),
    )
    assert response.status_code == 400
    assert "bereits an dieser Adresse registriert" in errors(response)


def test_a_listed_business_is_pointed_to_its_claim_link(client, directory_page):
    listed = MerchantPageFactory(
        parent=directory_page, title="Kiosk an der Möllerbrücke", street="Möllerstraße 2"
    )
    response = client.post(
        "/registrieren/",
        form_data(
            business_name="Kiosk an der Moellerbruecke",
            street="Moellerstrasse 2",
            postcode=listed.postcode,
        ),
    )
    assert response.status_code == 400
    assert "ist bereits auf der Karte" in errors(response)
    assert f'href="/registrieren/eintrag/{listed.pk}/"' in errors(response)


# --- verification -------------------------------------------------------------------------


def test_the_link_confirms_once_and_tells_the_reviewers(client, register, reviewer):
    registration = register(verify=False)
    link = verification_link(mail.outbox[-1])
    response = client.get(link)
    assert response.status_code == 200
    assert "Ihre E-Mail-Adresse ist bestätigt." in errors(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert registration.verified_at is not None
    assert mail.outbox[-1].to == ["moderation@example.org"]
    assert "Trinkhalle Borsigplatz" in mail.outbox[-1].subject
    sent = len(mail.outbox)

    again = client.get(link)  # reused: harmless, says so, tells nobody again
    assert again.status_code == 200
    assert "bereits bestätigt" in errors(again)
    assert len(mail.outbox) == sent


def test_an_expired_link_is_explained(client, register):
    registration = register(verify=False)
    three_days_ago = time.time() - 3 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=three_days_ago):
        token = accounts.verification_token(registration)
    response = client.get(f"/registrieren/bestaetigen/{token}/")
    assert response.status_code == 400
    assert "Dieser Link ist abgelaufen." in errors(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.UNVERIFIED


def test_a_tampered_link_is_refused(client, register):
    registration = register(verify=False)
    token = accounts.verification_token(registration)
    response = client.get(f"/registrieren/bestaetigen/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "Dieser Link ist ungültig." in errors(response)


# --- the editor's decision ----------------------------------------------------------------


def test_editors_list_registrations_with_filters_and_counts(client, register, reviewer):
    register()
    register(verify=False, email="zweite@example.org", street="Zweiter Weg 2")
    client.force_login(reviewer)
    response = client.get("/admin/registrations/")
    assert response.status_code == 200
    page = errors(response)
    assert "Trinkhalle Borsigplatz" in page
    assert "Wartet auf Prüfung (1)" in page
    assert "E-Mail noch nicht bestätigt (1)" in page
    filtered = client.get("/admin/registrations/", {"status": "pending"})
    assert "aylin@example.org" in errors(filtered)
    assert "zweite@example.org" not in errors(filtered)


def test_approval_creates_one_user_one_draft_page_and_its_rights(client, register, reviewer):
    registration = register()
    client.force_login(reviewer)
    url = f"/admin/registrations/{registration.pk}/"
    response = client.post(url, {"decision": "approve", "message": "Willkommen!"})
    assert response.status_code == 302

    user = get_user_model().objects.get(email="aylin@example.org")
    assert user.check_password(PASSWORD)
    page = MerchantPage.objects.get(title="Trinkhalle Borsigplatz")
    assert not page.live
    assert page.get_parent().specific_class.__name__ == "DirectoryPage"
    assert (page.street, page.postcode, page.category.name) == ("Borsigplatz 3", "44145", "Kiosk")
    # No geocoder here: the district's centre, and the merchant is asked to set the marker.
    assert (page.latitude, page.longitude) == (Decimal("51.526100"), Decimal("7.482500"))
    assert accounts.position_is_approximate(page)

    account = MerchantAccount.objects.get()
    assert (account.user, account.page) == (user, page)
    assert list(user.groups.all()) == [account.group]
    assert [
        (p.page_id, p.permission.codename)
        for p in GroupPagePermission.objects.filter(group=account.group)
    ] == [(page.pk, "change_page")]
    assert sorted(
        p.permission.codename for p in GroupCollectionPermission.objects.filter(group=account.group)
    ) == ["add_image", "change_image", "choose_image"]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert registration.decided_by == reviewer
    decision = mail.outbox[-1]
    assert decision.to == ["aylin@example.org"]
    assert "Willkommen!" in decision.body
    assert "Marker" in decision.body


def test_a_second_approval_creates_nothing(client, register, reviewer):
    registration = register()
    client.force_login(reviewer)
    url = f"/admin/registrations/{registration.pk}/"
    client.post(url, {"decision": "approve"})
    counts = (get_user_model().objects.count(), MerchantPage.objects.count(), Group.objects.count())
    mails = len(mail.outbox)

    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 400
    assert "nichts wurde geändert" in errors(response)
    assert counts == (
        get_user_model().objects.count(),
        MerchantPage.objects.count(),
        Group.objects.count(),
    )
    assert len(mail.outbox) == mails
    with pytest.raises(accounts.DecisionError):
        accounts.reject(registration.pk, reviewer, "zu spät")


def test_a_moderator_without_superuser_rights_is_told_and_decides(client, register, moderator):
    registration = register()
    assert "pruefung@example.org" in mail.outbox[-1].to  # "New registration: ..."
    client.force_login(moderator)
    assert "/admin/registrations/" in errors(client.get("/admin/"))  # in the menu
    assert "Trinkhalle Borsigplatz" in errors(client.get("/admin/registrations/"))

    url = f"/admin/registrations/{registration.pk}/"
    response = client.post(url, {"decision": "approve", "message": "Willkommen!"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert registration.decided_by == moderator


def test_wagtails_editors_group_does_not_decide_registrations(client, register, django_user_model):
    registration = register()
    editor = django_user_model.objects.create_user("redakteur", "redaktion@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(f"/admin/registrations/{registration.pk}/", {"decision": "approve"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's refusal
    assert "/admin/registrations/" not in errors(client.get("/admin/"))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert "redaktion@example.org" not in [to for message in mail.outbox for to in message.to]


def test_an_unconfirmed_registration_cannot_be_approved(register, reviewer):
    registration = register(verify=False)
    with pytest.raises(accounts.DecisionError):
        accounts.approve(registration.pk, reviewer)
    assert not MerchantAccount.objects.exists()


def test_a_configured_geocoder_places_the_marker(register, reviewer, settings):
    settings.MERCHANT_GEOCODER = "directory.tests.test_registration.geocode_borsigplatz"
    account = accounts.approve(register().pk, reviewer)
    page = MerchantPage.objects.get(pk=account.page.pk)
    assert (page.latitude, page.longitude) == (Decimal("51.521000"), Decimal("7.481000"))
    assert not accounts.position_is_approximate(page)


def test_rejection_needs_a_reason_and_sends_it(client, register, reviewer):
    registration = register()
    client.force_login(reviewer)
    url = f"/admin/registrations/{registration.pk}/"
    response = client.post(url, {"decision": "reject", "message": ""})
    assert response.status_code == 400
    assert "Bitte sagen Sie dem Betrieb, warum." in errors(response)

    response = client.post(url, {"decision": "reject", "message": "Kein Betrieb in Dortmund."})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REJECTED
    assert not get_user_model().objects.filter(email="aylin@example.org").exists()
    assert "Kein Betrieb in Dortmund." in mail.outbox[-1].body


def test_merchants_and_visitors_cannot_see_registrations(client, make_merchant, register):
    merchant = make_merchant("Eisdiele Venezia", "venezia@example.org")
    other = register(email="neu@example.org", street="Neuer Weg 1")
    client.logout()
    response = client.get(f"/admin/registrations/{other.pk}/")
    assert response["Location"].startswith("/admin/login/")
    client.force_login(merchant.user)
    for url in ("/admin/registrations/", f"/admin/registrations/{other.pk}/"):
        response = client.get(url)
        # 403, or Wagtail's redirect to the dashboard with "no permission"
        assert response.status_code == 403 or response["Location"] == "/admin/", url
        assert "neu@example.org" not in errors(response)
    response = client.post(f"/admin/registrations/{other.pk}/", {"decision": "approve"})
    other.refresh_from_db()
    assert other.status == Registration.Status.PENDING


# --- claiming an existing entry -----------------------------------------------------------


def test_an_unowned_entry_can_be_claimed_and_is_handed_over(client, directory_page, reviewer):
    district = DistrictFactory(name="Hörde")
    page = MerchantPageFactory(parent=directory_page, title="Zum Anker", district=district)
    assert "/registrieren/eintrag/" in errors(client.get(page.url))

    claim = form_data(email="wirt@example.org")
    response = client.post(f"/registrieren/eintrag/{page.pk}/", claim)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.kind == Registration.Kind.CLAIM
    assert (registration.claimed_page, registration.business_name) == (page, "Zum Anker")
    client.get(verification_link(mail.outbox[-1]))

    pages_before = MerchantPage.objects.count()
    account = accounts.approve(registration.pk, reviewer)
    assert account.page.pk == page.pk
    assert MerchantPage.objects.count() == pages_before
    assert GroupPagePermission.objects.filter(group=account.group, page=page).exists()
    page.refresh_from_db()
    assert page.live  # handing over changes nothing the public sees

    # Now it has an owner: no claim link, and the claim form says so.
    assert "/registrieren/eintrag/" not in errors(client.get(page.url))
    assert client.get(f"/registrieren/eintrag/{page.pk}/").status_code == 409


def test_two_claims_on_one_entry_only_the_first_approval_wins(client, directory_page, reviewer):
    page = MerchantPageFactory(parent=directory_page, title="Zum Anker")
    registrations = verified_claims(client, page, ("eins@example.org", "zwei@example.org"))
    accounts.approve(registrations[0].pk, reviewer)
    with pytest.raises(accounts.DecisionError, match="bereits"):
        accounts.approve(registrations[1].pk, reviewer)
    assert MerchantAccount.objects.get().user.email == "eins@example.org"
