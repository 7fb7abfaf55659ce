"""The demo city and the synthetic merchants for benchmarks."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from directory.generate import BOUNDS
from directory.models import Initiative, MerchantOpeningHours, MerchantPage
from pages.models import HomeFeaturedMerchant, StoryPage

from .conftest import kept_for_the_module

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", verbosity=0)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city, seeded once for the module: each test's changes are rolled back."""
    with kept_for_the_module(django_db_blocker):
        seed()
        yield


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "merchants": MerchantPage.objects.count(),
        "opening hours": MerchantOpeningHours.objects.count(),
        "featured": HomeFeaturedMerchant.objects.count(),
        "users": get_user_model().objects.count(),
        "initiatives": Initiative.objects.count(),
    }


def inside_dortmund(page):
    south, west, north, east = (Decimal(str(v)) for v in BOUNDS)
    return south <= page.latitude <= north and west <= page.longitude <= east


def test_seed_demo_builds_dortmund(demo_city, client):
    merchants = MerchantPage.objects.live()
    assert merchants.count() >= 40
    assert all(inside_dortmund(m) for m in merchants)
    kiosk = merchants.get(title="Kiosk an der Möllerbrücke")
    assert kiosk.district.name == "Kreuzviertel"
    assert kiosk.opening_hours.count() == 7
    for title in ["Pizzeria Da Enzo", "Bioladen Grünkern", "Kreuzklang Concept Store"]:
        assert merchants.filter(title=title).exists(), title
    assert merchants.get(title="Kreuzklang Concept Store").district.name == "Kreuzviertel"
    assert set(Initiative.objects.values_list("hashtag", flat=True)) == {
        "#wirstehenhinterdir",
        "#BorussiaVerbindet",
        "#helpyourhometown",
    }
    stories = StoryPage.objects.live()
    assert stories.filter(kind="supporter").count() == 1
    assert set(stories.filter(kind="portrait").values_list("merchant__title", flat=True)) == {
        "Kiosk an der Möllerbrücke",
        "Pizzeria Da Enzo",
    }

    home = client.get("/")
    assert home.status_code == 200
    assert "Kiosk an der Möllerbrücke" in home.content.decode()  # featured on the home page
    portrait = client.get(kiosk.url).content.decode()
    assert "<h1>Kiosk an der Möllerbrücke</h1>" in portrait
    assert "Möllerstraße 2" in portrait and "44137 Dortmund" in portrait
    assert "Zeitungen, Kaltgetränke und ein offenes Ohr seit 1987." in portrait

    # The demo editor gets into the admin and finds the initiatives to manage.
    assert client.login(username="redaktion", password="dortmund-hilft")
    assert client.get("/admin/").status_code == 200  # a visitor would be sent to the login
    initiatives = client.get("/admin/snippets/directory/initiative/").content.decode()
    for name in ("Wir stehen hinter dir", "Borussia verbindet", "Help your hometown"):
        assert name in initiatives, name


def test_seed_demo_twice_changes_nothing(demo_city):
    first = counts()
    assert first["merchants"] >= 40
    seed()
    assert counts() == first


def test_generate_merchants_adds_live_renderable_pages(demo_city, client):
    before = MerchantPage.objects.live().count()

    call_command("generate_merchants", count=200, city="Dortmund", seed=7, verbosity=0)

    assert MerchantPage.objects.live().count() == before + 200
    assert Page.find_problems() == ([], [], [], [], [])
    generated = MerchantPage.objects.live().order_by("-pk").first()
    assert inside_dortmund(generated)
    response = client.get(generated.url)
    assert response.status_code == 200
    assert generated.title in response.content.decode()
    feed = client.get("/api/map/merchants.geojson").json()
    assert len(feed["features"]) == before + 200


def test_generate_merchants_for_an_unknown_city_explains(demo_city):
    with pytest.raises(CommandError, match='No city "Atlantis"'):
        call_command("generate_merchants", count=5, city="Atlantis", verbosity=0)


def test_generated_merchants_are_searchable_with_index(demo_city, client):
    call_command("generate_merchants", count=30, city="Dortmund", seed=3, index=True, verbosity=0)
    generated = MerchantPage.objects.live().order_by("-pk").first()

    found = client.get("/api/search", {"q": generated.title}).json()["merchants"]

    assert generated.title in [m["name"] for m in found]
