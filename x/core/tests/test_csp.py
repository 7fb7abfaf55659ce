"""The Content-Security-Policy (core/csp.py, django-csp): on every public page, following the
settings' tile and Stripe hosts and a city's own tiles; looser in Wagtail's admin."""

import base64
import hashlib
import re

import pytest
from django.test import Client, override_settings

from conftest import make_directory_page, make_home_page

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def directory():
    return make_directory_page(make_home_page())


def test_public_pages_allow_only_the_site_its_tiles_and_stripe(directory):
    response = Client().get(directory.url)

    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert "https://js.stripe.com" in csp["script-src"]
    assert "https://tiles.invalid" in csp["img-src"]  # MAP_TILE_URL of the test settings
    assert csp["object-src"] == ["'none'"]
    # The one inline <style> (the city's colours) is allowed by its hash, and only it.
    css = re.search(r"<style>(.*?)</style>", response.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp["style-src"]
    assert "--brand" in css


@override_settings(STRIPE_JS_URL="http://127.0.0.1:8420/js.stripe.com/v3/")
def test_localstripe_stands_in_for_stripe_where_settings_say_so(directory):
    csp = policy(Client().get(directory.url))
    assert "http://127.0.0.1:8420" in csp["script-src"]
    assert "http://127.0.0.1:8420" in csp["frame-src"]


def test_the_admin_gets_its_looser_policy(admin_user):
    client = Client()
    client.force_login(admin_user)
    csp = policy(client.get("/admin/"))
    assert "'unsafe-inline'" in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["object-src"] == ["'none'"]
