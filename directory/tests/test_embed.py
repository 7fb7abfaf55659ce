"""The embeddable map for partner sites and the iframe code editors copy from the admin."""

import pytest
from wagtail.models import Page, Site

from directory.geo import format_point
from pages.models import CitySettings
from pages.tests.factories import HomePageFactory

from .factories import DirectoryPageFactory, InitiativeFactory, MerchantPageFactory

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


@pytest.fixture
def partner_city(directory_page):
    """#BorussiaVerbindet with two merchants in the north of Dortmund and one in Bochum; a
    merchant far to the south is not part of it, nor is a draft."""
    bvb = InitiativeFactory(name="Borussia verbindet", hashtag="#BorussiaVerbindet")
    placed = {}
    for title, lat, lng in [
        ("Trinkhalle Borsigplatz", 51.5261, 7.4825),
        ("Kiosk am Hafen", 51.5290, 7.4410),
        ("Café im Süden", 51.4500, 7.5000),
    ]:
        placed[title] = MerchantPageFactory(
            parent=directory_page, title=title, location=format_point(lat, lng)
        )
    for title in ("Trinkhalle Borsigplatz", "Kiosk am Hafen"):
        placed[title].initiatives.add(bvb)
        placed[title].save_revision().publish()
    draft = MerchantPageFactory(
        parent=directory_page, title="Entwurf", location=format_point(51.60, 7.60)
    )
    draft.initiatives.add(bvb)
    draft.save_revision().publish()
    draft.unpublish()
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    Site.objects.create(hostname="bochum.example", root_page=other_home, site_name="Bochum")
    bochum = MerchantPageFactory(
        parent=DirectoryPageFactory(parent=other_home, slug="betriebe"),
        title="Bude in Bochum",
        location=format_point(51.4818, 7.2162),
    )
    bochum.initiatives.add(bvb)
    bochum.save_revision().publish()
    return bvb


def test_an_initiatives_embed_opens_on_its_merchants_in_this_city(client, partner_city):
    html = client.get("/embed/map/", {"initiative": partner_city.slug}).content.decode()

    # west,south,east,north around the two merchants of the initiative in Dortmund only
    assert 'data-bounds="7.441000,51.526100,7.482500,51.529000"' in html


def test_the_embeds_heading_counts_what_its_map_shows(client, partner_city):
    html = client.get("/embed/map/", {"initiative": partner_city.slug}).content.decode()
    feed = client.get("/api/map/merchants.geojson", {"initiative": partner_city.slug}).json()

    assert '<h1 class="embed__title">Borussia verbindet</h1>' in html
    assert len(feed["features"]) == 2
    assert "2 Betriebe von #BorussiaVerbindet" in html or "2 businesses of #BorussiaVerbindet" in (
        html
    )
    there = client.get(
        "/embed/map/", {"initiative": partner_city.slug}, headers={"Host": "bochum.example"}
    ).content.decode()
    assert 'data-bounds="7.216200,51.481800,7.216200,51.481800"' in there


def test_an_unfiltered_embed_shows_the_whole_city(client, partner_city):
    html = client.get("/embed/map/").content.decode()

    assert "data-bounds" not in html
    assert "embed__title" not in html


def test_the_admin_offers_one_code_per_city_of_the_initiative(editor_client, partner_city):
    response = editor_client.get(f"/admin/snippets/directory/initiative/edit/{partner_city.pk}/")

    html = response.content.decode()
    slug = partner_city.slug
    assert f"&lt;iframe src=&quot;http://bochum.example/embed/map/?initiative={slug}" in html
    assert f"&lt;iframe src=&quot;http://testserver/embed/map/?initiative={slug}" in html
    assert "title=&quot;Karte: Borussia verbindet&quot;" in html or (
        "title=&quot;Map: Borussia verbindet&quot;" in html
    )
