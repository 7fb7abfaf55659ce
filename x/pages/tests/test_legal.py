"""Every city has an imprint, a privacy policy and terms of use, editable pages below its home
page, linked from the footer of every page (the demo city)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Site

from pages.legal import ensure_legal_pages
from pages.models import CitySettings, LegalPage

pytestmark = pytest.mark.django_db

LEGAL = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutzerklärung",
    "/nutzungsbedingungen/": "Nutzungsbedingungen",
}


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, seeded once for the module; rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            call_command("seed_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer"') :]


@pytest.mark.parametrize(("path", "title"), LEGAL.items())
def test_the_demo_city_has_its_legal_pages(demo_city, client, path, title):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert "Vorlage:" in html  # placeholder text that says it is one


def test_every_page_links_the_legal_pages_and_the_balance_check_from_its_footer(demo_city, client):
    for page in ("/", "/betriebe/", "/registrieren/", "/gutschein/guthaben/"):
        links = footer(client.get(page).content.decode())
        for path, title in LEGAL.items():
            assert f'<a href="{path}">{title}</a>' in links, (page, path)
        assert '<a href="/gutschein/guthaben/">Gutschein-Guthaben prüfen</a>' in links
    # The legal pages are listed once, on their own: not again among the content pages.
    assert footer(client.get("/").content.decode()).count('href="/impressum/"') == 1


def test_the_imprint_names_the_operator_from_the_city_settings(demo_city, client):
    city = CitySettings.for_site(Site.objects.get(is_default_site=True))
    city.operator_name, city.operator_address = "Stadt Dortmund", "Friedensplatz 1\n44135 Dortmund"
    city.save()
    html = client.get("/impressum/").content.decode()
    assert "<strong>Stadt Dortmund</strong>" in html
    assert "Friedensplatz 1<br>44135 Dortmund" in html


def test_seeding_is_idempotent_and_leaves_edited_pages_alone(demo_city):
    home = Site.objects.get(is_default_site=True).root_page
    terms = LegalPage.objects.get(kind="terms")
    terms.body = "<p>Unsere eigenen Bedingungen.</p>"
    terms.save_revision().publish()
    assert ensure_legal_pages(home, city=CitySettings.for_site(home.get_site())) == []
    assert LegalPage.objects.child_of(home).count() == 3
    assert LegalPage.objects.get(kind="terms").body == "<p>Unsere eigenen Bedingungen.</p>"
