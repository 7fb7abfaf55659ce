"""Which merchants match a folded query, ranked, counted and faceted (search page and map).

Wagtail's SQLite backend ranks with a correlated subquery that runs the full-text MATCH once per
candidate row: fine for a few hundred pages, minutes for 100,000 merchants. On SQLite this module
asks FTS5 once, outer-most (CROSS JOIN keeps SQLite from probing the FTS table per row), with
bm25 column weights (title 10, body 1). On PostgreSQL, Wagtail's backend is used as it is.
Both read the same index, which Wagtail keeps up to date on publish.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.db.models.expressions import RawSQL

FTS_WEIGHTS = "0.0, 1.0, 10.0"  # columns of wagtailsearch_indexentry_fts: autocomplete, body, title


class SqliteMatch:
    def __init__(self, candidates, folded: str, prefix: bool):
        terms = folded.split()  # folded text: only [a-z0-9] words, safe to quote
        if prefix:
            expression = "{autocomplete} : (" + " ".join(f'"{t}"*' for t in terms) + ")"
        else:
            expression = "{title body} : (" + " ".join(f'"{t}"' for t in terms) + ")"
        self.candidates = candidates
        self.params = [expression, ContentType.objects.get_for_model(candidates.model).pk]
        self.source = (
            "FROM wagtailsearch_indexentry_fts fts "
            "CROSS JOIN wagtailsearch_indexentry entry ON fts.rowid = entry.id "
            "WHERE wagtailsearch_indexentry_fts MATCH %s AND entry.content_type_id = %s"
        )

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
                f"SELECT CAST(entry.object_id AS INTEGER), "  # noqa: S608 - fixed SQL, parameters bound
                f"bm25(wagtailsearch_indexentry_fts, {FTS_WEIGHTS}) AS score "
                f"{self.source} ORDER BY score LIMIT %s",
                [*self.params, limit * 2],
            )
            ranked = [row[0] for row in cursor.fetchall()]
        allowed = set(self.candidates.filter(pk__in=ranked).values_list("pk", flat=True))
        return [pk for pk in ranked if pk in allowed][:limit]


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
    cls = SqliteMatch if connection.vendor == "sqlite" else WagtailMatch
    return cls(candidates, folded, prefix)
