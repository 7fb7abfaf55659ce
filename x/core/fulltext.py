"""Which pages match a folded query, best first (search page, suggestions and the map's q).

Wagtail's database backends rank with a correlated subquery per candidate row: fine for a few
hundred pages, seconds to minutes for 100,000 merchants. This module asks the index table once,
joined to the candidates in one query that also returns the columns callers facet on, and
ranks there: FTS5 with bm25 column weights on SQLite, the GIN-indexed tsvectors with ts_rank on
PostgreSQL (title x10 over body, whose own weights come from the field boosts).
It reads the same index that Wagtail keeps up to date on publish; other databases fall back to
Wagtail's backend.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.expressions import RawSQL

FTS_WEIGHTS = "0.0, 1.0, 10.0"  # columns of wagtailsearch_indexentry_fts: autocomplete, body, title


class RawMatch:
    """One full-text query against Wagtail's index table, outermost, ranked in the database."""

    source: str
    rank: str
    params: list
    materialized = ""  # PostgreSQL plans the join well as it is

    def __init__(self, candidates):
        self.candidates = candidates
        self.content_type = ContentType.objects.get_for_model(candidates.model).pk

    def ranked_ids(self, limit: int | None = None) -> list[int]:
        """Matching candidates, best first: the index table joined to the candidates in the
        database, never through lists of ids."""
        candidates_sql, candidates_params = (
            self.candidates.order_by().values_list("pk").query.sql_with_params()
        )
        sql = (
            f"WITH e AS {self.materialized}({self._ranked_entries()}) "  # noqa: S608 - SQL built by the ORM and fixed text, parameters bound
            f"SELECT c.pk FROM ({candidates_sql}) c JOIN e ON e.id = c.pk ORDER BY e.score, c.pk"
        )
        return self._ids(sql, [*self.rank_params, *self.params, *candidates_params], limit)

    def ranked_index_ids(self) -> list[int]:
        """Every indexed page of the candidates' type that matches, best first, wherever it
        is and whether live or not: for callers that keep their own list of what to show
        (it spares the join, the costly part when a common word matches thousands)."""
        sql = f"{self._ranked_entries()} ORDER BY score, id"
        return self._ids(sql, [*self.rank_params, *self.params])

    def _ranked_entries(self) -> str:
        return f"SELECT CAST(entry.object_id AS INTEGER) id, {self.rank} score {self.source}"

    @staticmethod
    def _ids(sql: str, params: list, limit: int | None = None) -> list[int]:
        if limit is not None:
            sql, params = f"{sql} LIMIT %s", [*params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def queryset(self):
        """The matching candidates, unordered, as a queryset to filter further."""
        ids = RawSQL(f"SELECT CAST(entry.object_id AS INTEGER) {self.source}", self.params)  # noqa: S611 - fixed SQL, parameters bound
        return self.candidates.filter(pk__in=ids)


class SqliteMatch(RawMatch):
    # Left to itself, SQLite flattens the matches into the join and runs the full-text query
    # once per candidate (minutes at 100k merchants); materialised, it runs once.
    materialized = "MATERIALIZED "
    # CROSS JOIN fixes the loop order. For a type with many index rows (merchants) the FTS
    # table leads, else SQLite probes it once per index row; for a type with a handful (stories)
    # its rows lead, else every merchant matching a common word is read and thrown away.
    many_first = (
        "FROM wagtailsearch_indexentry_fts fts "
        "CROSS JOIN wagtailsearch_indexentry entry ON fts.rowid = entry.id "
    )
    few_first = (
        "FROM wagtailsearch_indexentry entry "
        "CROSS JOIN wagtailsearch_indexentry_fts fts ON fts.rowid = entry.id "
    )
    condition = "WHERE wagtailsearch_indexentry_fts MATCH %s AND entry.content_type_id = %s"
    rank = f"bm25(wagtailsearch_indexentry_fts, {FTS_WEIGHTS})"  # lower is better
    rank_params: list = []

    def __init__(self, candidates, folded: str, prefix: bool, few: bool = False):
        super().__init__(candidates)
        self.source = (self.few_first if few else self.many_first) + self.condition
        terms = folded.split()  # folded text: only [a-z0-9] words, safe to quote
        if prefix:
            expression = "{autocomplete} : (" + " ".join(f'"{t}"*' for t in terms) + ")"
        else:
            expression = "{title body} : (" + " ".join(f'"{t}"' for t in terms) + ")"
        self.params = [expression, self.content_type]

    def ranked_rowids(self) -> list[int]:
        """Matching index rows of any type, best first, from the full-text table alone: for
        callers that map rows to pages themselves (the join costs as much as the ranking)."""
        sql = (
            "SELECT rowid FROM wagtailsearch_indexentry_fts "  # noqa: S608 - fixed text, parameters bound
            f"WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY {self.rank}, rowid"
        )
        return self._ids(sql, self.params[:1])


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
        self.candidates = candidates
        search = candidates.autocomplete if prefix else candidates.search
        self.results = search(folded, operator="and")

    def ranked_ids(self, limit: int | None = None) -> list[int]:
        results = self.results if limit is None else self.results[:limit]
        return [page.pk for page in results]

    ranked_index_ids = ranked_ids

    def queryset(self):
        return self.candidates.filter(pk__in=[page.pk for page in self.results])


class NoTerm:
    """A query without a single letter or digit (`"`, `*`, `((`, an emoji, a NUL byte) folds
    to nothing: FTS5 would reject the empty expression and PostgreSQL's to_tsquery too, so
    such a query is no query at all and every candidate is left as it was (the map shows
    everything). Callers that want words check fold() themselves (the JSON search answers 400)."""

    def __init__(self, candidates):
        self.candidates = candidates

    def ranked_ids(self, limit: int | None = None) -> list[int]:
        ids = self.candidates.order_by("pk").values_list("pk", flat=True)
        return list(ids if limit is None else ids[:limit])

    ranked_index_ids = ranked_ids

    def queryset(self):
        return self.candidates


def match(candidates, folded: str, prefix: bool = False, few: bool = False):
    """`few`: the candidates' type has a handful of pages per site (stories), which changes the
    best plan on SQLite."""
    if not folded.split():
        return NoTerm(candidates)
    if connection.vendor == "sqlite":
        return SqliteMatch(candidates, folded, prefix, few)
    cls = PostgresMatch if connection.vendor == "postgresql" else WagtailMatch
    return cls(candidates, folded, prefix)
