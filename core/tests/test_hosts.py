"""Allowed hosts follow the Sites: a city created while the portal runs answers at once, any
other Host header is refused, and "*" is never accepted."""

import pytest
from django.test import override_settings
from wagtail.models import Page, Site

from core.hosts import SiteHosts

pytestmark = pytest.mark.django_db


def test_a_new_sites_host_is_allowed_at_once(client):
    hosts = SiteHosts(["localhost"])
    with override_settings(ALLOWED_HOSTS=hosts):
        assert client.get("/", HTTP_HOST="bochum.example.org").status_code == 400
        Site.objects.create(
            hostname="bochum.example.org", root_page=Page.get_first_root_node().get_children()[0]
        )
        assert client.get("/", HTTP_HOST="bochum.example.org").status_code != 400
        assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400
        assert client.get("/", HTTP_HOST="localhost").status_code != 400


def test_a_deleted_site_is_refused_again(client):
    site = Site.objects.create(
        hostname="herne.example.org", root_page=Page.get_first_root_node().get_children()[0]
    )
    with override_settings(ALLOWED_HOSTS=SiteHosts(["localhost"])):
        assert client.get("/", HTTP_HOST="herne.example.org").status_code != 400
        site.delete()
        assert client.get("/", HTTP_HOST="herne.example.org").status_code == 400


def test_a_wildcard_is_refused():
    with pytest.raises(ValueError, match="Host"):
        SiteHosts(["portal.example.org", "*"])
