"""Legal pages per city: each city's footer links its own; a city without any links none.
And the favicon."""

import pytest
from django.contrib.staticfiles import finders
from wagtail.models import Page, Site

from pages.legal import ensure_legal_pages
from pages.models import CitySettings
from pages.tests.factories import HomePageFactory

pytestmark = pytest.mark.django_db


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer"') :]


def test_each_city_links_its_own_legal_pages(home_page, client):
    dortmund = Site.objects.get(is_default_site=True)
    ensure_legal_pages(home_page, city=CitySettings.for_site(dortmund))
    bochum_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    bochum = Site.objects.create(hostname="bochum.example", root_page=bochum_home)
    [imprint, *_] = ensure_legal_pages(bochum_home, city=CitySettings.for_site(bochum))
    imprint.title = "Impressum Bochum"
    imprint.save_revision().publish()

    html = footer(client.get("/", HTTP_HOST="bochum.example").content.decode())
    assert '<a href="/impressum/">Impressum</a>' in html
    assert (
        client.get("/impressum/", HTTP_HOST="bochum.example")
        .content.decode()
        .count("Impressum Bochum")
    )
    assert "Impressum Bochum" not in client.get("/impressum/").content.decode()


def test_a_city_without_legal_pages_links_none(home_page, client):
    assert 'href="/impressum/"' not in client.get("/").content.decode()


def test_the_favicon_answers(home_page, client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
