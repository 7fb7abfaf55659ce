"""Absolute addresses start at the configured base URL (PORTAL_BASE_URL), whatever the Wagtail
site's own host name and port say; another city's site is reached by its host name."""

import pytest
from wagtail.models import Page, Site

from core.urls import absolute_url, base_url, page_url
from pages.tests.factories import HomePageFactory, StandardPageFactory

BASE = "https://dortmund-haelt-zusammen.example"


@pytest.fixture(autouse=True)
def configured(settings):
    settings.PORTAL_BASE_URL = BASE


def test_a_path_is_joined_to_the_base_url():
    assert absolute_url("/gutschein/guthaben/") == f"{BASE}/gutschein/guthaben/"
    assert absolute_url("gutschein/guthaben/") == f"{BASE}/gutschein/guthaben/"
    assert absolute_url("") == f"{BASE}/"
    # Already absolute (a media host, a CDN): left alone.
    assert absolute_url("https://media.example/a.png") == "https://media.example/a.png"


def test_a_trailing_slash_in_the_setting_makes_no_double_slash(settings):
    settings.PORTAL_BASE_URL = BASE + "/"
    assert absolute_url("/impressum/") == f"{BASE}/impressum/"


@pytest.mark.django_db
def test_the_default_site_is_at_the_base_url_and_another_city_at_its_host(home_page):
    default = Site.objects.get(is_default_site=True)  # "localhost", port 80
    assert base_url(default) == BASE
    bochum_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    bochum = Site.objects.create(hostname="bochum-hilft.example", port=8000, root_page=bochum_home)
    assert base_url(bochum) == "https://bochum-hilft.example"  # the base URL's scheme, no port

    page = StandardPageFactory(parent=bochum_home, title="Über uns", slug="ueber-uns")
    assert page_url(page) == "https://bochum-hilft.example/ueber-uns/"
    dortmund_page = StandardPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    assert page_url(dortmund_page) == f"{BASE}/ueber-uns/"


@pytest.mark.django_db
def test_a_page_outside_every_site_has_no_url(home_page):
    stray = HomePageFactory(parent=Page.get_first_root_node(), title="Entwurf", slug="entwurf")
    assert page_url(stray) == ""
