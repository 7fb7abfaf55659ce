"""The small city the search tests share: a kiosk at the Möllerbrücke, a pub, a kiosk in Hörde
and a story (the `city` fixture)."""

import pytest

from directory.geo import format_point
from directory.tests.factories import CategoryFactory, DistrictFactory, MerchantPageFactory
from pages.tests.factories import StoryIndexPageFactory, StoryPageFactory


@pytest.fixture
def city(directory_page, home_page):
    kiosk_category = CategoryFactory(name="Kiosk")
    pub_category = CategoryFactory(name="Kneipe/Bar")
    kreuzviertel = DistrictFactory(name="Kreuzviertel")
    hoerde = DistrictFactory(name="Hörde")
    merchants = {
        "kiosk": MerchantPageFactory(
            parent=directory_page,
            title="Kiosk an der Möllerbrücke",
            category=kiosk_category,
            district=kreuzviertel,
            street="Möllerstraße 2",
            location=format_point(51.50735, 7.4533),
            intro="Zeitungen und Kaltgetränke.",
        ),
        "anker": MerchantPageFactory(
            parent=directory_page,
            title="Zum Anker",
            category=pub_category,
            district=hoerde,
            street="Hohe Straße 35",
            location=format_point(51.4842, 7.5031),
            intro="Pils vom Fass.",
        ),
        "bude": MerchantPageFactory(
            parent=directory_page,
            title="Bude am Remberg",
            category=kiosk_category,
            district=hoerde,
            street="Wellinghofer Straße 99",
            location=format_point(51.4802, 7.4961),
            intro="Kaltes Getränk, warmes Wort.",
            story=[("paragraph", "<p>Unser Nachbar ist die Kneipe Zum Anker.</p>")],
        ),
    }
    stories = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(
        parent=stories,
        title="Porträt: Der Kiosk",
        teaser="Ein Besuch an der Möllerbrücke.",
    )
    return merchants
