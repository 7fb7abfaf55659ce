"""A city's own map tiles are allowed by the Content-Security-Policy of its pages
(directory/csp.py fills core/csp.py's registry)."""

import pytest
from django.test import Client
from wagtail.models import Site

from conftest import make_directory_page, make_home_page
from core.tests.test_csp import policy
from pages.models import CitySettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return make_directory_page(make_home_page())


def test_a_citys_own_tiles_are_allowed_on_its_pages(directory):
    site = Site.objects.get(is_default_site=True)
    CitySettings.objects.update_or_create(
        site=site, defaults={"tile_url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"}
    )
    csp = policy(Client().get(directory.url))
    assert "https://*.tiles.example.org" in csp["img-src"]
