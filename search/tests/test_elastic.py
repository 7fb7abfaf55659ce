"""The Elasticsearch path, without a server: the mapping, the request bodies the code builds,
the parsing of a response, the index sync and the choice of backend from configuration."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from elasticsearch_dsl.response import Response

from directory.filters import MerchantFilters
from directory.tests.factories import InitiativeFactory, MerchantPageFactory
from search import backends, elastic
from search.management.commands.rebuild_merchant_index import index_actions
from search.query import Near

pytestmark = pytest.mark.django_db


def test_mapping_folds_german_and_knows_places_and_prefixes():
    body = elastic.index().to_dict()
    analysis = body["settings"]["analysis"]
    for name in ("german_folding", "german_text", "name_prefix"):
        filters = analysis["analyzer"][name]["filter"]
        assert filters[:3] == ["lowercase", "german_normalization", "asciifolding"], name
    assert analysis["filter"]["name_edge_ngram"] == {
        "type": "edge_ngram",
        "min_gram": 2,
        "max_gram": 20,
    }
    assert analysis["filter"]["german_light_stem"]["language"] == "light_german"
    properties = body["mappings"]["properties"]
    assert properties["location"] == {"type": "geo_point"}
    assert properties["suggest"]["type"] == "completion"
    assert properties["suggest"]["contexts"] == [{"name": "site", "type": "category"}]
    assert properties["name"]["fields"]["prefix"]["search_analyzer"] == "german_folding"
    assert properties["category"] == {"type": "keyword"}
    assert properties["offers"] == {"type": "keyword"}  # the offer flags' keys, not one per kind


def test_search_request_weights_fields_and_applies_every_filter():
    filters = MerchantFilters(
        bbox=(Decimal("7.30"), Decimal("51.42"), Decimal("7.64"), Decimal("51.60")),
        category=("kiosk",),
        district=("hoerde", "kreuzviertel"),
        initiative=("borussia-verbindet",),
        offers=("voucher",),
    )
    body = elastic.build_search("Möllerbrücke", filters, "00010001", near=(51.5, 7.45)).to_dict()

    should = body["query"]["bool"]["should"]
    assert should[0]["multi_match"]["fields"][:7] == [
        "name^10",
        "category_name^7",
        "district_name^7",
        "street^4",
        "tags^4",
        "intro^4",
        "story^1",
    ]
    assert should[0]["multi_match"]["operator"] == "and"
    assert should[1]["match"]["name.prefix"]["query"] == "Möllerbrücke"
    assert body["query"]["bool"]["filter"] == [
        {"term": {"site_path": "00010001"}},
        {"terms": {"initiatives": ["borussia-verbindet"]}},
        {"term": {"offers": "voucher"}},
        {
            "geo_bounding_box": {
                "location": {
                    "top_left": {"lat": 51.6, "lon": 7.3},
                    "bottom_right": {"lat": 51.42, "lon": 7.64},
                }
            }
        },
    ]
    assert body["sort"] == [
        {
            "_geo_distance": {
                "location": {"lat": 51.5, "lon": 7.45},
                "order": "asc",
                "unit": "km",
            }
        }
    ]
    # the hits are narrowed by category and district; each facet only by the other one
    category, district = (
        {"terms": {"category": ["kiosk"]}},
        {"terms": {"district": ["hoerde", "kreuzviertel"]}},
    )
    assert body["post_filter"] == {"bool": {"filter": [category, district]}}
    assert body["aggs"] == {
        "category": {
            "filter": district,
            "aggs": {"values": {"terms": {"field": "category", "size": 50}}},
        },
        "district": {
            "filter": category,
            "aggs": {"values": {"terms": {"field": "district", "size": 100}}},
        },
    }
    assert (body["from"], body["size"]) == (0, 20)


def test_suggest_request_is_scoped_to_the_city():
    body = elastic.build_suggest("möll", "00010001").to_dict()
    assert body["suggest"]["names"] == {
        "prefix": "möll",
        "completion": {"field": "suggest", "size": 8, "contexts": {"site": ["00010001"]}},
    }


def test_document_from_a_merchant_page(directory_page):
    bvb = InitiativeFactory(name="Borussia verbindet")
    kiosk = MerchantPageFactory(
        parent=directory_page,
        title="Kiosk an der Möllerbrücke",
        story=[("paragraph", "<p>Seit 1987 an der Brücke.</p>")],
        has_voucher_offer=True,
    )
    kiosk.initiatives.add(bvb)
    kiosk.save()

    doc = elastic.MerchantDocument.from_page(kiosk, "00010001").to_dict(include_meta=True)

    assert doc["_id"] == kiosk.pk
    source = doc["_source"]
    assert source["name"] == "Kiosk an der Möllerbrücke"
    assert source["suggest"] == {
        "input": ["Kiosk an der Möllerbrücke"],
        "contexts": {"site": ["00010001"]},
    }
    assert source["location"] == {"lat": 51.5075, "lon": 7.451}
    assert source["initiatives"] == ["borussia-verbindet"]
    assert source["offers"] == ["voucher"]
    assert "Seit 1987 an der Brücke." in source["story"]
    assert source["site_path"] == "00010001"


def test_rebuild_actions_cover_every_live_merchant(directory_page):
    live = MerchantPageFactory(parent=directory_page, title="Live")
    MerchantPageFactory(parent=directory_page, title="Draft", live=False)
    from directory.models import MerchantPage

    actions = list(index_actions(MerchantPage.objects.live()))
    assert [a["_id"] for a in actions] == [live.pk]
    assert actions[0]["_source"]["site_path"] == directory_page.get_parent().path


def test_response_becomes_the_same_outcome_as_the_database_gives(directory_page, home_page):
    kiosk = MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")
    raw = {
        "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{"_id": str(kiosk.pk)}]},
        "aggregations": {
            "category": {
                "doc_count": 1,
                "values": {"buckets": [{"key": kiosk.category.slug, "doc_count": 1}]},
            },
            "district": {
                "doc_count": 1,
                "values": {"buckets": [{"key": kiosk.district.slug, "doc_count": 1}]},
            },
        },
    }
    request = elastic.build_search("kiosk", MerchantFilters(), home_page.path)
    outcome = backends.outcome_from_response(
        home_page,
        "kiosk",
        "kiosk",
        MerchantFilters(),
        timezone.localtime(),
        Near(51.5075, 7.451),
        1,
        Response(request, raw),
    )
    assert [hit.page for hit in outcome.merchants] == [kiosk]
    assert outcome.merchants[0].distance_km == 0.0
    assert outcome.merchants.paginator.count == 1
    assert [(f.slug, f.name, f.count) for f in outcome.categories] == [
        (kiosk.category.slug, kiosk.category.name, 1)
    ]


def test_backend_follows_configuration(settings):
    settings.ELASTICSEARCH_URL = ""
    assert backends.current().name == "database"
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    assert backends.current().name == "elasticsearch"
    settings.ELASTICSEARCH_URL = ""
    assert backends.current().name == "database"


def test_publishing_and_unpublishing_sync_the_index(directory_page, settings, monkeypatch):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    calls = []
    backend = backends.current()
    monkeypatch.setattr(backend, "index_page", lambda page: calls.append(("index", page.pk)))
    monkeypatch.setattr(backend, "remove_page", lambda pk: calls.append(("remove", pk)))

    merchant = MerchantPageFactory(parent=directory_page, live=False)
    merchant.save_revision().publish()
    merchant.refresh_from_db()  # the task indexes what the database holds: live
    merchant.unpublish()
    pk = merchant.pk
    merchant.delete()

    assert calls == [("index", pk), ("remove", pk), ("remove", pk)]
    settings.ELASTICSEARCH_URL = ""


def test_rebuild_command_explains_without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL is not set"):
        call_command("rebuild_merchant_index")


def test_search_request_forgives_typos_and_asks_for_a_correction():
    body = elastic.build_search("Pizzaria", MerchantFilters(), "00010001").to_dict()
    words = body["query"]["bool"]["should"][0]["multi_match"]
    assert (words["fuzziness"], words["prefix_length"]) == ("AUTO", 1)
    assert body["suggest"]["did_you_mean"] == {
        "text": "Pizzaria",
        "term": {"field": "spelling", "suggest_mode": "missing", "min_word_length": 4},
    }
    spelling = elastic.index().to_dict()["mappings"]["properties"]["spelling"]
    assert spelling == {"type": "text", "analyzer": "german_folding"}


def test_the_spelling_field_holds_the_words_people_look_for(directory_page):
    enzo = MerchantPageFactory(
        parent=directory_page, title="Pizzeria Da Enzo", street="Kreuzstraße 61"
    )
    enzo.tags.add("Pizza")
    enzo.save()
    document = elastic.MerchantDocument.from_page(enzo, "00010001")
    assert document.spelling == (
        f"Pizzeria Da Enzo Kreuzstraße 61 {enzo.category.name} {enzo.district.name} Pizza"
    )


def test_a_suggested_correction_becomes_did_you_mean(directory_page, home_page):
    enzo = MerchantPageFactory(parent=directory_page, title="Pizzeria Da Enzo")
    raw = {
        "hits": {"total": {"value": 1, "relation": "eq"}, "hits": [{"_id": str(enzo.pk)}]},
        "aggregations": {
            name: {"doc_count": 0, "values": {"buckets": []}} for name in ("category", "district")
        },
        "suggest": {
            "did_you_mean": [
                {
                    "text": "pizzaria",
                    "offset": 0,
                    "length": 8,
                    "options": [{"text": "pizzeria", "score": 0.875, "freq": 1}],
                },
                {"text": "enzo", "offset": 9, "length": 4, "options": []},
            ]
        },
    }
    request = elastic.build_search("Pizzaria Enzo", MerchantFilters(), home_page.path)
    outcome = backends.outcome_from_response(
        home_page,
        "Pizzaria Enzo",
        "pizzaria enzo",
        MerchantFilters(),
        timezone.localtime(),
        None,
        1,
        Response(request, raw),
    )
    assert [hit.page for hit in outcome.merchants] == [enzo]
    assert outcome.corrected == "pizzeria Enzo"
    raw["suggest"]["did_you_mean"][0]["options"] = []
    outcome = backends.outcome_from_response(
        home_page,
        "Pizza Enzo",
        "pizza enzo",
        MerchantFilters(),
        timezone.localtime(),
        None,
        1,
        Response(request, raw),
    )
    assert outcome.corrected is None


def test_a_query_without_letters_never_reaches_elasticsearch(settings, home_page, client):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"  # any request would fail
    try:
        outcome = backends.current().search(home_page, "((", MerchantFilters(), timezone.now())
        assert outcome.merchants.paginator.count == 0 and outcome.corrected is None
        assert client.get("/suche/", {"q": '"'}).status_code == 200
    finally:
        settings.ELASTICSEARCH_URL = ""
