"""Merchants as they come into being: a registration form filled in, a confirmed address,
an editor's approval (directory/accounts.py)."""

import re
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.db import transaction

from directory import accounts
from directory.forms import STARTED_SALT
from directory.models import Registration

from .factories import CategoryFactory, DistrictFactory

PASSWORD = "Kiosk-Passwort-2026"  # noqa: S105 - a test account


def form_data(**overrides) -> dict:
    """A registration form as a person sends it: filled in well after it was shown."""
    data = {
        "business_name": "Trinkhalle Borsigplatz",
        "category": CategoryFactory(name="Kiosk").pk,
        "district": DistrictFactory(name="Nordstadt", latitude="51.5261", longitude="7.4825").pk,
        "street": "Borsigplatz 3",
        "postcode": "44145",
        "city": "Dortmund",
        "contact_name": "Aylin Demir",
        "email": "aylin@example.org",
        "password": PASSWORD,
        "phone": "0231 123456",
        "wants_vouchers": "on",
        "accept_terms": "on",
        "homepage": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def verification_link(message) -> str:
    return re.search(r"http://testserver(/registrieren/bestaetigen/\S+/)", message.body).group(1)


def verified_claims(client, page, emails) -> list:
    """One claim of `page` per address, each confirmed from its mail: ready for review."""
    from directory.models import Registration

    claims = []
    for email in emails:
        client.post(f"/registrieren/eintrag/{page.pk}/", form_data(email=email))
        client.get(verification_link(mail.outbox[-1]))
        claims.append(Registration.objects.get(email=email))
    return claims


@contextmanager
def kept_for_the_module(django_db_blocker):
    """setUpTestData for a pytest module: what is built in here stays for each test of a
    module-scoped fixture (each test's own changes are rolled back as usual) and is rolled back
    itself when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def make_reviewer():
    """An editor in Wagtail's Moderators group: told about new registrations and changes."""
    user = get_user_model().objects.create_superuser("moderatorin", "moderation@example.org", "pw")
    user.groups.add(Group.objects.get(name=accounts.REVIEWERS_GROUP))
    return user


def send_registration(client, verify=True, **overrides) -> Registration:
    """Send the registration form and follow the link from the mail; returns the registration."""
    response = client.post("/registrieren/", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()
    registration = Registration.objects.get(email=overrides.get("email", "aylin@example.org"))
    if verify:
        assert client.get(verification_link(mail.outbox[-1])).status_code == 200
        registration.refresh_from_db()
    return registration


def approved_merchant(client, reviewer, name: str, email: str, **overrides):
    """An approved merchant account with a draft page of its own (the directory must exist),
    who ticked no offers at registration unless `overrides` say so (wants_vouchers="on"):
    their "Offers" tab starts empty."""
    fields = {"street": f"{name}straße 1", "wants_vouchers": None, **overrides}
    registration = send_registration(client, business_name=name, email=email, **fields)
    return accounts.approve(registration.pk, reviewer)


@pytest.fixture
def reviewer(db):
    return make_reviewer()


@pytest.fixture
def moderator(django_user_model):
    """A real install's reviewer: in Wagtail's Moderators group, no superuser, only the rights
    the migrations give that group."""
    user = django_user_model.objects.create_user("pruefer", "pruefung@example.org", "pw")
    user.groups.add(Group.objects.get(name=accounts.REVIEWERS_GROUP))
    return user


@pytest.fixture
def register(client, directory_page):
    """send_registration with the test's client."""

    def register(verify=True, **overrides) -> Registration:
        return send_registration(client, verify=verify, **overrides)

    return register


@pytest.fixture
def make_merchant(client, directory_page, reviewer):
    """approved_merchant with the test's client and reviewer."""

    def make_merchant(name: str, email: str, **overrides):
        return approved_merchant(client, reviewer, name, email, **overrides)

    return make_merchant
