"""Typos find what was meant, with a "Did you mean …?", on whichever database the suite runs on;
a word every story has still ranks merchants named after it first."""

import pytest

from core.folding import fold
from directory.demo.data import STORY_PARAGRAPHS
from directory.tests.factories import CategoryFactory, MerchantPageFactory
from pages.models import StoryIndexPage
from pages.tests.factories import StoryPageFactory
from search import spelling

pytestmark = pytest.mark.django_db

PAGE = "/suche/"
API = "/api/search"


@pytest.fixture
def pizzeria(city, directory_page):
    enzo = MerchantPageFactory(
        parent=directory_page,
        title="Pizzeria Da Enzo",
        category=CategoryFactory(name="Restaurant"),
        street="Kreuzstraße 61",
        intro="Neapolitanische Pizza aus dem Holzofen.",
    )
    enzo.tags.add("Pizza", "Italienisch")
    enzo.save_revision().publish()
    return enzo


def search(client, q, **params):
    response = client.get(API, {"q": q, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    return [m["name"] for m in body["merchants"]], body["did_you_mean"]


@pytest.mark.parametrize(
    ("typed", "found", "meant"),
    [
        ("Pizzaria", "Pizzeria Da Enzo", "Pizzeria"),
        ("pizzaria", "Pizzeria Da Enzo", "Pizzeria"),
        ("Piza", "Pizzeria Da Enzo", "Pizza"),
        ("Möllerbrüke", "Kiosk an der Möllerbrücke", "Möllerbrücke"),
        ("Moellerbruecke Kiosc", "Kiosk an der Möllerbrücke", "Möllerbrücke Kiosk"),
        ("Pizzeira", "Pizzeria Da Enzo", "Pizzeria"),  # two letters swapped
        ("Hörder", "Zum Anker", "Hörde"),  # the district
    ],
)
def test_a_typo_finds_what_was_meant_and_says_so(client, pizzeria, typed, found, meant):
    names, did_you_mean = search(client, typed)
    assert found in names
    assert did_you_mean == meant


def test_the_search_page_offers_did_you_mean_with_the_results(client, pizzeria):
    html = client.get(PAGE, {"q": "Pizzaria", "district": pizzeria.district.slug}).content.decode()
    main = html.split("<main")[1].split("</main>")[0]
    assert "Nichts gefunden für „Pizzaria“. Meinten Sie" in main
    # the suggestion searches for the corrected word, keeping the chosen filters
    assert f'<a href="?q=Pizzeria&amp;district={pizzeria.district.slug}">„Pizzeria“</a>' in main
    assert "Pizzeria Da Enzo" in main and "1 Betrieb" in main


def test_words_spelt_right_get_no_suggestion(client, pizzeria):
    assert search(client, "Pizzeria") == (["Pizzeria Da Enzo"], None)
    assert search(client, "Möllerbrücke") == (["Kiosk an der Möllerbrücke"], None)
    html = client.get(PAGE, {"q": "Pizza"}).content.decode()
    assert "Meinten Sie" not in html


def test_nonsense_and_short_words_are_not_bent_into_something_else(client, pizzeria):
    assert search(client, "Xylophon") == ([], None)
    assert search(client, "Bat") == ([], None)  # "Bar" is one letter away: too short to guess
    assert "Meinten Sie" not in client.get(PAGE, {"q": "Xylophon"}).content.decode()


def test_the_vocabulary_follows_publishing(client, city, directory_page, home_page):
    assert search(client, "Trinkhale") == ([], None)  # vocabulary built and cached
    newcomer = MerchantPageFactory(parent=directory_page, title="Trinkhalle am Hafen", live=False)
    newcomer.save_revision().publish()
    assert search(client, "Trinkhale") == (["Trinkhalle am Hafen"], "Trinkhalle")
    newcomer.refresh_from_db()
    newcomer.unpublish()
    assert search(client, "Trinkhale") == ([], None)

    stories = StoryIndexPage.objects.child_of(home_page).get()
    story = StoryPageFactory(parent=stories, title="Sommerfest im Kreuzviertel", live=False)
    story.save_revision().publish()
    body = client.get(API, {"q": "Somerfest"}).json()
    assert body["did_you_mean"] == "Sommerfest"
    assert [s["title"] for s in body["stories"]] == ["Sommerfest im Kreuzviertel"]


def test_closest_known_word_prefers_fewer_edits_then_the_commoner_word():
    vocabulary = spelling.Vocabulary.from_texts(
        ["Kiosk Nord", "Kiosk Süd", "Kiesk", "Bäckerei Kruse", "Backerei"]
    )
    assert vocabulary.closest("kiosk") is None  # known
    assert vocabulary.closest("kiusk") == "kiosk"  # one edit from both: the commoner
    assert vocabulary.closest(fold("Baeckerei")) is None  # folded, it is known
    assert vocabulary.closest("bakcerei") == "backerei"
    assert vocabulary.spellings["backerei"] == "Bäckerei"
    assert vocabulary.closest("zug") is None  # too short


@pytest.fixture
def beer_city(city, directory_page, home_page):
    """As in the demo city, every merchant's story and every story says "ein virtuelles Bier"."""
    story = [("paragraph", f"<p>{paragraph}</p>") for paragraph in STORY_PARAGRAPHS]
    for merchant in city.values():
        merchant.story = story
        merchant.save_revision().publish()
    for number in range(6):
        MerchantPageFactory(parent=directory_page, title=f"Laden Nummer {number}", story=story)
    MerchantPageFactory(
        parent=directory_page,
        title="Getränke Lenz",
        story=story,
        category=CategoryFactory(name="Bier & Wein"),
    )
    MerchantPageFactory(parent=directory_page, title="Bier & Bratwurst Schmidt", story=story)
    stories = StoryIndexPage.objects.child_of(home_page).get()
    for number in range(3):
        StoryPageFactory(
            parent=stories,
            title=f"Geschichte {number}",
            body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in STORY_PARAGRAPHS],
        )


def test_a_word_in_every_story_ranks_merchants_named_after_it_first(client, beer_city):
    names, did_you_mean = search(client, "Bier")
    assert names[:2] == ["Bier & Bratwurst Schmidt", "Getränke Lenz"]
    assert len(names) == 11 and did_you_mean is None
    html = client.get(PAGE, {"q": "Bier"}).content.decode()
    main = html.split("<main")[1].split("</main>")[0]
    merchants, stories = main.split('id="story-results"')
    assert merchants.index("Bier &amp; Bratwurst Schmidt") < merchants.index("Getränke Lenz")
    assert "Laden Nummer" in merchants and "Geschichte" in stories


def test_the_vocabulary_is_built_once_until_something_is_published(
    city, home_page, directory_page, django_assert_num_queries
):
    first = spelling.vocabulary(home_page)
    with django_assert_num_queries(0):
        assert spelling.vocabulary(home_page) is first
    MerchantPageFactory(parent=directory_page, title="Trinkhalle am Hafen")  # published
    assert "trinkhalle" in spelling.vocabulary(home_page).counts
