"""Fixtures shared by every app's tests: a city site with its home page and directory."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

from directory.tests.factories import DirectoryPageFactory
from pages.tests.factories import HomePageFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached feeds of one test must never answer another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request leaves its own active afterwards."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, title="Dortmund hält zusammen", slug="dortmund")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Dortmund"},
    )
    return home


@pytest.fixture
def directory_page(home_page):
    return DirectoryPageFactory(parent=home_page, title="Betriebe", slug="betriebe")


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client
