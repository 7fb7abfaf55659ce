"""Search finds the kiosk however it is typed, on whichever database the suite runs on."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction, Site

from directory.tests.factories import CategoryFactory, DirectoryPageFactory, MerchantPageFactory
from pages.tests.factories import HomePageFactory

pytestmark = pytest.mark.django_db

PAGE = "/suche/"
API = "/api/search"
SUGGEST = "/api/search/suggest"


def names(client, q, **params):
    response = client.get(API, {"q": q, **params})
    assert response.status_code == 200, response.content
    return [m["name"] for m in response.json()["merchants"]]


@pytest.mark.parametrize(
    "spelling", ["Möllerbrücke", "Moellerbruecke", "Mollerbrucke", "möllerbrücke", "MÖLLERBRÜCKE"]
)
def test_every_spelling_finds_the_kiosk(client, city, spelling):
    assert names(client, spelling) == ["Kiosk an der Möllerbrücke"]


@pytest.mark.parametrize("spelling", ["Strasse", "Straße", "STRASSE", "hohe strasse"])
def test_strasse_finds_strasse(client, city, spelling):
    assert "Zum Anker" in names(client, spelling)


def test_prefixes_while_typing_from_the_second_letter(client, city):
    assert client.get(SUGGEST, {"q": "m"}).json()["suggestions"] == []
    for typed in ["mö", "Möll", "moell", "Moellerbr"]:
        suggestions = client.get(SUGGEST, {"q": typed}).json()["suggestions"]
        assert [s["name"] for s in suggestions] == ["Kiosk an der Möllerbrücke"], typed
        assert suggestions[0]["url"] == city["kiosk"].url


def test_a_name_match_outranks_a_story_match(client, city):
    assert names(client, "Anker") == ["Zum Anker", "Bude am Remberg"]


def test_fields_rank_name_then_category_then_intro_then_story(client, directory_page):
    for title, fields in [
        ("Eckladen", {"story": [("paragraph", "<p>Früher war hier eine Bäckerei.</p>")]}),
        ("Feinkost Lenz", {"intro": "Mit kleiner Bäckerei im Hinterzimmer."}),
        ("Backstube Sonnenschein", {"category": CategoryFactory(name="Bäckerei")}),
        ("Bäckerei Kruse", {}),
    ]:
        MerchantPageFactory(parent=directory_page, title=title, **fields)
    assert names(client, "Baeckerei") == [
        "Bäckerei Kruse",
        "Backstube Sonnenschein",
        "Feinkost Lenz",
        "Eckladen",
    ]


def test_filters_combine_with_the_query(client, city):
    assert names(client, "Kiosk", district="hoerde") == ["Bude am Remberg"]
    assert names(client, "Kiosk", district="kreuzviertel") == ["Kiosk an der Möllerbrücke"]
    assert names(client, "Kiosk", district="kreuzviertel", category="kneipebar") == []
    assert sorted(names(client, "Kaltes Getränk")) == ["Bude am Remberg"]
    assert names(client, "Straße", category="kiosk") == ["Bude am Remberg"]


def test_facets_count_categories_and_districts_of_the_query(client, city):
    facets = client.get(API, {"q": "Straße"}).json()["facets"]
    assert {f["slug"]: f["count"] for f in facets["category"]} == {"kiosk": 1, "kneipebar": 1}
    assert {f["slug"]: f["count"] for f in facets["district"]} == {"hoerde": 2}


def test_facets_count_what_choosing_them_would_show(client, city):
    facets = client.get(API, {"q": "Straße", "district": "hoerde"}).json()["facets"]
    # categories within Hörde; districts still all of the query's, to switch between
    assert {f["slug"]: f["count"] for f in facets["category"]} == {"kiosk": 1, "kneipebar": 1}
    assert {f["slug"]: f["count"] for f in facets["district"]} == {"hoerde": 2}
    facets = client.get(API, {"q": "Kiosk", "category": "kiosk"}).json()["facets"]
    assert {f["slug"]: f["count"] for f in facets["district"]} == {
        "kreuzviertel": 1,
        "hoerde": 1,
    }
    facets = client.get(API, {"q": "Kiosk", "district": "hoerde"}).json()["facets"]
    assert {f["slug"]: f["count"] for f in facets["category"]} == {"kiosk": 1}
    assert {f["slug"]: f["count"] for f in facets["district"]} == {
        "kreuzviertel": 1,
        "hoerde": 1,
    }


def test_a_district_filter_reaches_matches_beyond_the_best_ranked(client, city, monkeypatch):
    # Only the best MAX_RANKED matches keep their relevance order; a district the facet
    # counts name must still list its merchants when they rank below that cut.
    monkeypatch.setattr("search.query.MAX_RANKED", 1)
    facets = client.get(API, {"q": "Kiosk"}).json()["facets"]["district"]
    assert {f["slug"]: f["count"] for f in facets} == {"kreuzviertel": 1, "hoerde": 1}
    assert names(client, "Kiosk") == ["Kiosk an der Möllerbrücke"]
    assert names(client, "Kiosk", district="hoerde") == ["Bude am Remberg"]


def test_near_me_sorts_by_distance(client, city):
    body = client.get(API, {"q": "Straße", "lat": "51.4802", "lng": "7.4961"}).json()
    assert [m["name"] for m in body["merchants"]] == ["Bude am Remberg", "Zum Anker"]
    assert body["merchants"][0]["distance_km"] == 0.0
    assert 0.5 < body["merchants"][1]["distance_km"] < 1.5


def test_pagination(client, directory_page):
    for number in range(25):
        MerchantPageFactory(parent=directory_page, title=f"Bäckerei Nummer {number}")
    first = client.get(API, {"q": "Bäckerei"}).json()
    second = client.get(API, {"q": "Baeckerei", "page": "2"}).json()
    assert (first["total"], first["pages"], len(first["merchants"])) == (25, 2, 20)
    assert len(second["merchants"]) == 5
    assert not {m["name"] for m in first["merchants"]} & {m["name"] for m in second["merchants"]}


def test_stories_come_after_merchants(client, city):
    body = client.get(API, {"q": "Möllerbrücke"}).json()
    assert [s["title"] for s in body["stories"]] == ["Porträt: Der Kiosk"]


def test_index_follows_publish_and_unpublish(client, city):
    kiosk = city["kiosk"]
    assert names(client, "Möllerbrücke") == ["Kiosk an der Möllerbrücke"]  # lists cached
    kiosk.unpublish()
    assert names(client, "Möllerbrücke") == []
    kiosk.save_revision().publish()
    assert names(client, "Möllerbrücke") == ["Kiosk an der Möllerbrücke"]


def test_a_merchant_published_after_a_cached_search_is_found(client, city, directory_page):
    assert names(client, "Trinkhalle") == []  # lists and index rows cached
    newcomer = MerchantPageFactory(parent=directory_page, title="Trinkhalle am Hafen", live=False)
    newcomer.save_revision().publish()
    assert names(client, "Trinkhalle") == ["Trinkhalle am Hafen"]
    assert names(client, "Trinkh") == ["Trinkhalle am Hafen"]  # while typing


def test_a_private_merchant_leaves_the_results(client, city):
    assert names(client, "Kiosk") == ["Kiosk an der Möllerbrücke", "Bude am Remberg"]
    PageViewRestriction.objects.create(
        page=city["kiosk"], restriction_type=PageViewRestriction.LOGIN
    )
    assert names(client, "Kiosk") == ["Bude am Remberg"]


def test_a_flushed_cache_never_brings_back_an_old_list(client, city):
    assert "Zum Anker" in names(client, "Anker")
    Page.objects.filter(pk=city["anker"].pk).update(live=False)  # behind the signals' back
    cache.clear()  # e.g. Redis restarted: the next generation token must be a new one
    assert "Zum Anker" not in names(client, "Anker")


def test_only_the_current_city_is_searched(client, city):
    other_home = HomePageFactory(parent=Page.get_first_root_node(), title="Bochum", slug="bochum")
    Site.objects.create(hostname="bochum.example", root_page=other_home, site_name="Bochum")
    other_directory = DirectoryPageFactory(parent=other_home, slug="betriebe")
    MerchantPageFactory(parent=other_directory, title="Kiosk an der Möllerbrücke in Bochum")

    assert names(client, "Möllerbrücke") == ["Kiosk an der Möllerbrücke"]
    bochum = client.get(API, {"q": "Möllerbrücke"}, headers={"Host": "bochum.example"}).json()
    assert [m["name"] for m in bochum["merchants"]] == ["Kiosk an der Möllerbrücke in Bochum"]


ODD = [
    '"',
    "*",
    "NEAR",
    "-",
    ":",
    '"Kiosk',
    "kiosk*",
    "kiosk NEAR anker",
    "-kiosk",
    "a:b",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "()",
    "AND",
    "OR NOT",
    "😀",
    "((",
    "🍕🍺",
    "x" * 200,
]


@pytest.mark.parametrize("q", ODD)
def test_odd_input_never_fails(client, city, q):
    assert client.get(PAGE, {"q": q}).status_code == 200
    assert client.get(API, {"q": q}).status_code in (200, 400)
    assert client.get(SUGGEST, {"q": q}).status_code == 200


@pytest.mark.parametrize("q", ['"', "((", "*", "😀"])
def test_a_query_without_letters_is_no_query(client, city, q):
    html = client.get(PAGE, {"q": q}).content.decode()
    assert "Geben Sie einen Namen, eine Straße" in html  # the hint, not "nothing found"
    assert "Nichts gefunden" not in html
    response = client.get(API, {"q": q})
    assert response.status_code == 400
    assert response.json() == {"error": "q", "detail": "Bitte geben Sie ein Suchwort ein."}


def test_too_long_and_empty_queries_are_explained(client, city):
    long = "x" * 10_000
    assert client.get(PAGE, {"q": long}).status_code == 400
    english = client.get(PAGE, {"q": long}, headers={"Accept-Language": "en"})
    assert "At most 200 characters" in english.content.decode()
    assert "Bitte höchstens 200 Zeichen." in client.get(PAGE, {"q": long}).content.decode()
    api = client.get(API, {"q": long})
    assert api.status_code == 400 and api.json()["error"] == "q"
    assert client.get(SUGGEST, {"q": long}).status_code == 400
    empty = client.get(API, {"q": "  "})
    assert empty.status_code == 400 and empty.json()["error"] == "q"
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Kiosk" in page.content.decode()  # the hint shows an example


def test_search_page_lists_results_with_facets_without_javascript(client, city):
    html = client.get(PAGE, {"q": "Straße"}).content.decode()
    assert "Zum Anker" in html and "Bude am Remberg" in html
    assert "?q=Stra%C3%9Fe&amp;district=hoerde" in html  # facet link
    assert "Kiosk an der Möllerbrücke" not in html.split("<main")[1].split("</main>")[0]


def test_facet_links_keep_the_other_choices_and_undo_their_own(client, city):
    html = client.get(
        PAGE, {"q": "Straße", "category": "kiosk", "lat": "51.48", "lng": "7.49"}
    ).content.decode()
    # choosing a district keeps the query, the chosen category and the distance order
    assert (
        'href="?q=Stra%C3%9Fe&amp;category=kiosk&amp;lat=51.48&amp;lng=7.49&amp;district=hoerde"'
        in html
    )
    # the chosen category's own link takes it away again
    assert 'href="?q=Stra%C3%9Fe&amp;lat=51.48&amp;lng=7.49" aria-current="true"' in html


def test_bad_filter_parameters_answer_400(client, city):
    response = client.get(API, {"q": "kiosk", "lat": "north"})
    assert response.status_code == 400 and response.json()["error"] == "lat"
    response = client.get(API, {"q": "kiosk", "category": "gibtsnicht"})
    assert response.status_code == 400 and response.json()["error"] == "category"
    assert client.get(PAGE, {"q": "kiosk", "category": "gibtsnicht"}).status_code == 400


def test_offers_filter_and_badge_whatever_kinds_are_registered(client, city):
    """Search names no offer kind: support's flags and a throwaway one work alike."""
    from directory import feed, offer_flags
    from directory.models import MerchantPage

    # support keeps its columns in step with its offers on publish: set them as it would.
    MerchantPage.objects.filter(pk=city["kiosk"].pk).update(has_voucher_offer=True)
    MerchantPage.objects.filter(pk=city["bude"].pk).update(show_in_menus=True)
    feed.invalidate()
    assert names(client, "Kiosk", offers="voucher") == ["Kiosk an der Möllerbrücke"]
    with offer_flags.registered(
        "im-menu", label="Steht im Menü", badge="Menü-Abzeichen", field="show_in_menus"
    ):
        assert names(client, "Kiosk", offers="im-menu") == ["Bude am Remberg"]
        found = client.get(API, {"q": "Kiosk"}).json()["merchants"]
        found = {merchant["name"]: merchant["offers"] for merchant in found}
        assert found == {"Kiosk an der Möllerbrücke": ["voucher"], "Bude am Remberg": ["im-menu"]}
        html = client.get(PAGE, {"q": "Kiosk"}).content.decode()
        assert 'name="offers" value="im-menu"' in html and "Steht im Menü" in html
        assert html.count("Menü-Abzeichen") == 1
    response = client.get(API, {"q": "Kiosk", "offers": "im-menu"})
    assert response.status_code == 400 and response.json()["error"] == "offers"
