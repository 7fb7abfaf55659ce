"""The embeddable map for partner sites and the iframe code editors copy from the admin."""

import pytest
from wagtail.models import Site

from pages.models import CitySettings

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def test_embed_map_carries_filters_and_allows_only_configured_origins(
    client, directory_page, settings
):
    settings.EMBED_ALLOWED_ORIGINS = ["https://bvb.example"]
    bvb = InitiativeFactory(name="Borussia verbindet")

    response = client.get("/embed/map/", {"initiative": bvb.slug})

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors 'self' https://bvb.example"
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert f'data-feed-url="/api/map/merchants.geojson?initiative={bvb.slug}"' in html
    assert 'data-link-target="_top"' in html
    assert "<header" not in html  # only the map, no site chrome


def test_embed_map_with_a_bad_filter_explains_it(client, directory_page):
    response = client.get("/embed/map/", {"initiative": "gibt-es-nicht"})
    assert response.status_code == 400
    assert "gibt-es-nicht" in response.content.decode()


def test_tiles_and_centre_come_from_the_city_settings(client, directory_page):
    city = CitySettings.for_site(Site.objects.get(is_default_site=True))
    city.tile_url = "https://tiles.dortmund.example/{z}/{x}/{y}.png"
    city.zoom = 12
    city.save()

    html = client.get("/embed/map/").content.decode()

    assert 'data-tile-url="https://tiles.dortmund.example/{z}/{x}/{y}.png"' in html
    assert 'data-zoom="12"' in html
    assert 'data-lat="51.513600"' in html


def test_initiative_admin_offers_the_iframe_code(editor_client):
    bvb = InitiativeFactory(name="Borussia verbindet")
    response = editor_client.get(f"/admin/snippets/directory/initiative/edit/{bvb.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/map/?initiative=borussia-verbindet" in html
