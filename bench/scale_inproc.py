"""bench/scale.py's measurements inside one Django process (the production settings and the
database of one size, from the environment). Prints one JSON object.

    python bench/scale_inproc.py queries /betriebe/ /
    python bench/scale_inproc.py feed-miss 7

queries: the number of database queries each page takes (second request, Django's test client
with CaptureQueriesContext), and how many of them read the database cache.

feed-miss: the map feed rebuilt on a cache miss (the product's whole miss path: query,
serialise, gzip, store) against the same columns read with one raw SQL query, dumped with
orjson and gzipped (the baseline), alternated.
"""

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup():
    import django

    django.setup()


def queries(paths: list[str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for page in paths:
        assert client.get(page).status_code == 200, page  # warm: per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200, page
        counts[page] = len(captured)
        # On the database cache every cache read is a query too: counted apart
        counts["cache:" + page] = sum("portal_cache" in q["sql"] for q in captured)
    return counts


def raw_sql(site) -> tuple[str, list]:
    """The feed's columns in one query: page, merchant, category and the initiatives'
    slugs aggregated in the database."""
    from django.db import connection
    from wagtail.models import Page

    from directory import offer_flags
    from directory.models import Category, Initiative, MerchantPage

    quote = connection.ops.quote_name
    page = quote(Page._meta.db_table)
    merchant = quote(MerchantPage._meta.db_table)
    category = quote(Category._meta.db_table)
    through = MerchantPage.initiatives.through._meta
    link = quote(through.db_table)
    initiative = quote(Initiative._meta.db_table)
    postgres = connection.vendor == "postgresql"
    real = "double precision" if postgres else "REAL"
    aggregate = "string_agg(i.slug, ',' ORDER BY i.slug)" if postgres else "group_concat(i.slug)"
    flags = ", ".join(f"m.{quote(flag.field)}" for flag in offer_flags.all())
    merchant_column = quote(through.get_field("merchantpage").column)
    initiative_column = quote(through.get_field("initiative").column)
    root = site.root_page
    sql = (
        f"SELECT p.id, p.title, p.url_path, c.slug, CAST(m.longitude AS {real}), "  # noqa: S608
        f"CAST(m.latitude AS {real}), {flags}, "
        f"(SELECT {aggregate} FROM {link} t JOIN {initiative} i ON i.id = t.{initiative_column} "
        f"WHERE t.{merchant_column} = p.id) "
        f"FROM {page} p JOIN {merchant} m ON m.page_ptr_id = p.id "
        f"JOIN {category} c ON c.id = m.category_id "
        "WHERE p.live AND p.path LIKE %s AND p.depth > %s AND m.latitude IS NOT NULL"
    )
    return sql, [root.path + "%", root.depth]


def feed_miss(rounds: int) -> dict:
    import orjson
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Site

    from directory import feed
    from directory.filters import MerchantFilters

    site = Site.objects.get(is_default_site=True)
    sql, params = raw_sql(site)

    def product() -> int:
        feed.invalidate()
        return len(feed.cached_feed(site, MerchantFilters(), timezone.localtime()).gzipped)

    def baseline() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return len(gzip.compress(orjson.dumps(rows), compresslevel=6))

    timings = {"product": [], "baseline": []}
    sizes = {"product": product(), "baseline": baseline()}  # warm-up, not timed
    for number in range(rounds):
        order = [("product", product), ("baseline", baseline)]
        for name, function in order if number % 2 else order[::-1]:
            start = time.perf_counter()
            function()
            timings[name].append((time.perf_counter() - start) * 1000)
    return {
        "product_ms": statistics.median(timings["product"]),
        "baseline_ms": statistics.median(timings["baseline"]),
        "product_gzip": sizes["product"],
        "baseline_gzip": sizes["baseline"],
    }


def main():
    setup()
    command, *rest = sys.argv[1:]
    if command == "queries":
        result = queries(rest)
    elif command == "feed-miss":
        result = feed_miss(int(rest[0]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
