"""Which merchants match a folded query, ranked, counted and faceted (search page and map).

Wagtail's database backends rank with a correlated subquery per candidate row: fine for a few
hundred pages, seconds to minutes for 100,000 merchants. This module asks the index table once,
outermost, and ranks there: FTS5 with bm25 column weights on SQLite, the GIN-indexed tsvectors
with ts_rank on PostgreSQL (title x10 over body, whose own weights come from the field boosts).
It reads the same index that Wagtail keeps up to date on publish; other databases fall back to
Wagtail's backend.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL

FTS_WEIGHTS = "0.0, 1.0, 10.0"  # columns of wagtailsearch_indexentry_fts: autocomplete, body, title


class RawMatch:
    """One full-text query against Wagtail's index table, outermost, ranked in the database."""

    source: str
    rank: str
    params: list

    def __init__(self, candidates):
        self.candidates = candidates
        self.content_type = ContentType.objects.get_for_model(candidates.model).pk

    def _matching(self):
        ids = RawSQL(f"SELECT CAST(entry.object_id AS INTEGER) {self.source}", self.params)  # noqa: S611 - fixed SQL, parameters bound
        return self.candidates.filter(pk__in=ids)

    def summary(self) -> tuple[int, dict, dict]:
        """Number of matches and their counts per category and per district, in one pass."""
        rows = (
            self._matching()
            .order_by()
            .values_list("category_id", "district_id")
            .annotate(count=Count("pk"))
        )
        total, categories, districts = 0, {}, {}
        for category, district, count in rows:
            total += count
            categories[category] = categories.get(category, 0) + count
            districts[district] = districts.get(district, 0) + count
        return total, categories, districts

    def ranked_ids(self, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CAST(entry.object_id AS INTEGER), {self.rank} AS score "  # noqa: S608 - fixed SQL, parameters bound
                f"{self.source} ORDER BY score LIMIT %s",
                [*self.rank_params, *self.params, limit * 2],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        allowed = set(self.candidates.filter(pk__in=ranked).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in allowed][:limit]


class SqliteMatch(RawMatch):
    # CROSS JOIN keeps SQLite from probing the FTS table once per index row.
    source = (
        "FROM wagtailsearch_indexentry_fts fts "
        "CROSS JOIN wagtailsearch_indexentry entry ON fts.rowid = entry.id "
        "WHERE wagtailsearch_indexentry_fts MATCH %s AND entry.content_type_id = %s"
    )
    rank = f"bm25(wagtailsearch_indexentry_fts, {FTS_WEIGHTS})"  # lower is better
    rank_params: list = []

    def __init__(self, candidates, folded: str, prefix: bool):
        super().__init__(candidates)
        terms = folded.split()  # folded text: only [a-z0-9] words, safe to quote
        if prefix:
            expression = "{autocomplete} : (" + " ".join(f'"{t}"*' for t in terms) + ")"
        else:
            expression = "{title body} : (" + " ".join(f'"{t}"' for t in terms) + ")"
        self.params = [expression, self.content_type]


class PostgresMatch(RawMatch):
    """The GIN indexes on title, body and autocomplete answer; ts_rank orders (title x10)."""

    def __init__(self, candidates, folded: str, prefix: bool):
        super().__init__(candidates)
        terms = folded.split()  # folded text: only [a-z0-9] words, safe in to_tsquery
        if prefix:
            tsquery = " & ".join(f"{t}:*" for t in terms)
            self.source = (
                "FROM wagtailsearch_indexentry entry WHERE entry.content_type_id = %s "
                "AND entry.autocomplete @@ to_tsquery('simple', %s)"
            )
            self.params = [self.content_type, tsquery]
            self.rank = "-ts_rank(entry.autocomplete, to_tsquery('simple', %s))"
            self.rank_params = [tsquery]
        else:
            # Every word in the title or in the body; each test can use its GIN index.
            tsquery = " & ".join(terms)
            per_word = (
                "(entry.title @@ to_tsquery('simple', %s) "
                "OR entry.body @@ to_tsquery('simple', %s))"
            )
            self.source = (
                "FROM wagtailsearch_indexentry entry WHERE entry.content_type_id = %s AND "
                + " AND ".join([per_word] * len(terms))
            )
            self.params = [self.content_type, *[t for t in terms for _ in range(2)]]
            self.rank = (
                "-(10 * ts_rank(entry.title, to_tsquery('simple', %s)) "
                "+ ts_rank(entry.body, to_tsquery('simple', %s)))"
            )
            self.rank_params = [tsquery, tsquery]


class WagtailMatch:
    def __init__(self, candidates, folded: str, prefix: bool):
        search = candidates.autocomplete if prefix else candidates.search
        self.results = search(folded, operator="and")

    def summary(self) -> tuple[int, dict, dict]:
        total = self.results.count()
        if not total:
            return 0, {}, {}
        return total, self.results.facet("category_id"), self.results.facet("district_id")

    def ranked_ids(self, limit: int) -> list[int]:
        return [page.pk for page in self.results[:limit]]


def match(candidates, folded: str, prefix: bool = False):
    cls = {"sqlite": SqliteMatch, "postgresql": PostgresMatch}.get(connection.vendor, WagtailMatch)
    return cls(candidates, folded, prefix)
