"""The registration's mails link the configured base URL (PORTAL_BASE_URL), whatever host the
form was sent to; the registration links the terms and the privacy policy it asks consent to."""

import re

import pytest
from django.core import mail
from wagtail.models import Site

from pages.legal import ensure_legal_pages
from pages.models import CitySettings

from .conftest import form_data, make_reviewer

pytestmark = pytest.mark.django_db

BASE = "https://dortmund-haelt-zusammen.example"


def test_the_confirmation_and_the_reviewers_mail_link_the_base_url(
    client, directory_page, settings
):
    settings.PORTAL_BASE_URL = BASE
    make_reviewer()
    # Sent through an internal host name, as behind a proxy: the mail must not repeat it.
    response = client.post("/registrieren/", form_data(), HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 302
    [confirmation] = mail.outbox
    link = re.search(r"https?://\S+", confirmation.body).group()
    assert link.startswith(f"{BASE}/registrieren/bestaetigen/")
    assert client.get(link.removeprefix(BASE)).status_code == 200
    [to_review] = mail.outbox[1:]
    assert f"{BASE}/admin/registrations/" in to_review.body
    assert "10.0.0.7" not in confirmation.body + to_review.body


def test_the_registration_links_the_terms_and_the_privacy_policy(client, home_page):
    ensure_legal_pages(home_page, city=CitySettings.for_site(Site.objects.get()))
    for path in ("/registrieren/",):
        html = client.get(path).content.decode()
        assert 'href="/nutzungsbedingungen/">Nutzungsbedingungen</a>' in html
        assert 'href="/datenschutz/">Datenschutzerklärung</a>' in html
        # Right under the consent checkbox, before the button.
        assert html.index('name="accept_terms"') < html.index('id="registration-legal"')
        assert html.index('id="registration-legal"') < html.index(
            'type="submit"', html.index("<main")
        )
