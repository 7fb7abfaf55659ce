"""The merchant index in Elasticsearch, for when a city (or a country) outgrows the database.

Used only when ELASTICSEARCH_URL is set (see search/backends.py). The analysis mirrors
core.folding: German normalisation (ä/ae -> a, ß -> ss) plus ASCII folding, so "Möllerbrücke",
"Moellerbruecke" and "Mollerbrucke" meet in the same token; names get a completion suggester,
positions a geo_point for distance and bounding boxes; facets are terms aggregations.
"""

from django.conf import settings
from elasticsearch_dsl import (
    Completion,
    Document,
    GeoPoint,
    Index,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from core.folding import DETAIL, NAME, PLACE, TEXT
from directory import offer_flags
from directory.filters import MerchantFilters

# Folding only: for names, prefixes and the suggester (no stemming).
german_folding = analyzer(
    "german_folding",
    tokenizer="standard",
    filter=["lowercase", "german_normalization", "asciifolding"],
)
# Folding plus a light German stemmer, for running text ("Bücher" finds "Buch").
german_text = analyzer(
    "german_text",
    tokenizer="standard",
    filter=[
        "lowercase",
        "german_normalization",
        "asciifolding",
        token_filter("german_light_stem", type="stemmer", language="light_german"),
    ],
)
name_prefix = analyzer(
    "name_prefix",
    tokenizer="standard",
    filter=[
        "lowercase",
        "german_normalization",
        "asciifolding",
        token_filter("name_edge_ngram", type="edge_ngram", min_gram=2, max_gram=20),
    ],
)

WEIGHTS = {  # the same four levels as the database backend's fields
    "name": NAME,
    "category_name": PLACE,
    "district_name": PLACE,
    "street": DETAIL,
    "tags": DETAIL,
    "intro": DETAIL,
    "story": TEXT,
}


def index_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "portal-merchants")


class MerchantDocument(Document):
    name = Text(
        analyzer=german_text,
        fields={
            "folded": Text(analyzer=german_folding),
            "prefix": Text(analyzer=name_prefix, search_analyzer=german_folding),
            "raw": Keyword(),
        },
    )
    suggest = Completion(analyzer=german_folding, contexts=[{"name": "site", "type": "category"}])
    category = Keyword()
    category_name = Text(analyzer=german_text)
    district = Keyword()
    district_name = Text(analyzer=german_text)
    initiatives = Keyword(multi=True)
    street = Text(analyzer=german_text)
    tags = Text(analyzer=german_text, multi=True)
    intro = Text(analyzer=german_text)
    story = Text(analyzer=german_text)
    location = GeoPoint()
    site_path = Keyword()  # the tree path of the city's home page, for scoping
    offers = Keyword(multi=True)  # keys of the merchant's offer flags (directory.offer_flags)
    url_path = Keyword(index=False)
    # The words people look for by name (name, street, tags, category, district), folded, for
    # the "did you mean" term suggester: the same vocabulary as search/spelling.py.
    spelling = Text(analyzer=german_folding)

    class Index:
        name = "portal-merchants"
        settings = {"number_of_shards": 1}

    @classmethod
    def from_page(cls, page, site_path: str) -> "MerchantDocument":
        return cls(
            meta={"id": page.pk, "index": index_name()},
            name=page.title,
            suggest={"input": [page.title], "contexts": {"site": [site_path]}},
            category=page.category.slug,
            category_name=page.category.name,
            district=page.district.slug if page.district else None,
            district_name=page.district.name if page.district else None,
            initiatives=[i.slug for i in page.initiatives.all()],
            street=page.street,
            tags=[item.tag.name for item in page.tagged_items.all()],
            intro=page.intro,
            story=" ".join(
                str(text) for text in page.story.stream_block.get_searchable_content(page.story)
            ),
            location={"lat": float(page.latitude), "lon": float(page.longitude)}
            if page.latitude is not None
            else None,
            site_path=site_path,
            url_path=page.url_path,
            offers=offer_flags.offers_of(page),
            spelling=" ".join(
                filter(
                    None,
                    [
                        page.title,
                        page.street,
                        page.category.name,
                        page.district.name if page.district else "",
                        *(item.tag.name for item in page.tagged_items.all()),
                    ],
                )
            ),
        )


def index() -> Index:
    merchant_index = Index(index_name())
    merchant_index.document(MerchantDocument)
    return merchant_index


def build_search(
    query: str,
    filters: MerchantFilters,
    site_path: str,
    near: tuple[float, float] | None = None,
    offset: int = 0,
    size: int = 20,
) -> Search:
    """The request for one results page, with facets. open_now is applied by the caller."""
    search = Search(index=index_name()).filter("term", site_path=site_path)
    search = search.query(
        Q(
            "bool",
            should=[
                Q(
                    "multi_match",
                    query=query,
                    fields=[f"{field}^{weight}" for field, weight in WEIGHTS.items()]
                    + ["name.folded^10"],
                    operator="and",
                    # One wrong letter in short words, two from six letters ("Pizzaria",
                    # "Piza", "Möllerbrüke"); exact matches still score higher.
                    fuzziness="AUTO",
                    prefix_length=1,
                ),
                Q("match", **{"name.prefix": {"query": query, "operator": "and", "boost": 3}}),
            ],
            minimum_should_match=1,
        )
    )
    # Category and district narrow the hits after the facets are counted, and each facet counts
    # under the other's choice only, as on the database backend (search/query.py).
    chosen = {
        name: Q("terms", **{name: list(slugs)})
        for name, slugs in (("category", filters.category), ("district", filters.district))
        if slugs
    }
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    if filters.initiative:
        search = search.filter("terms", initiatives=list(filters.initiative))
    for offer in filters.offers:
        search = search.filter("term", offers=offer)
    if filters.bbox:
        west, south, east, north = (float(v) for v in filters.bbox)
        search = search.filter(
            "geo_bounding_box",
            location={
                "top_left": {"lat": north, "lon": west},
                "bottom_right": {"lat": south, "lon": east},
            },
        )
    if near:
        search = search.sort(
            {
                "_geo_distance": {
                    "location": {"lat": near[0], "lon": near[1]},
                    "order": "asc",
                    "unit": "km",
                }
            }
        )
    for name, other, buckets in (("category", "district", 50), ("district", "category", 100)):
        search.aggs.bucket(name, "filter", filter=chosen.get(other, Q("match_all"))).bucket(
            "values", "terms", field=name, size=buckets
        )
    # "Did you mean …?" for words no merchant's name, street, tag, category or district has.
    search = search.suggest(
        SPELLING_SUGGESTION,
        query,
        term={"field": "spelling", "suggest_mode": "missing", "min_word_length": 4},
    )
    return search.source(False)[offset : offset + size]


SPELLING_SUGGESTION = "did_you_mean"


def corrected_query(query: str, response) -> str | None:
    """The query with each word the term suggester knows better replaced (words as the index
    folds them: "pizzeria"), or None when it suggests nothing."""
    suggestions = getattr(response, "suggest", None)
    entries = suggestions.to_dict().get(SPELLING_SUGGESTION, []) if suggestions else []
    corrected, changed = query, False
    for entry in sorted(entries, key=lambda e: e["offset"], reverse=True):  # keeps offsets
        if entry.get("options"):
            start, end = entry["offset"], entry["offset"] + entry["length"]
            corrected = corrected[:start] + entry["options"][0]["text"] + corrected[end:]
            changed = True
    return corrected if changed else None


def build_suggest(prefix: str, site_path: str, size: int = 8) -> Search:
    return (
        Search(index=index_name())
        .suggest(
            "names",
            prefix,
            completion={"field": "suggest", "size": size, "contexts": {"site": [site_path]}},
        )
        .source(["name", "url_path"])
    )
