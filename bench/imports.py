"""A partner import at scale: N rows (default 50,000) imported into a city that lists N merchants
already, deduplicated against them, against a plain bulk insert of the same rows.

Product: directory.imports.services.import_rows over the parsed CSV (validation, the duplicate
search on the coordinate grid, a savepoint per row, live pages with a revision, a log entry and
the publish signal, search index entries). Baseline, in the same run and the same database: the
same rows written as MerchantPages the fastest honest way, directory/generate.py's bulk INSERT of
the page rows and merchant rows under the directory (no checks, no duplicates found, no
revisions), rolled back again before the import runs. Prints both times, rows per second and
the ratio.

    .venv/bin/python bench/imports.py [--rows 50000] [--existing N] [--database-url URL]
                                      [--profile FILE]

--profile writes a cProfile of import_rows alone (not the setup); the profiler slows the
product's time down, so quote ratios from a run without it.

A throwaway SQLite file by default; --database-url postgres://.../NAME uses that database
(it is migrated and filled; use a scratch database). Try --rows 2000 first: 50,000 takes minutes.
"""

import argparse
import contextlib
import cProfile
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUPLICATE_SHARE = 0.04  # rows that are an existing merchant (same name, same place)
SIMILAR_SHARE = 0.02  # rows with a similar name a few metres away: for review


SYLLABLES = [c + v for c in "bdfgklmnprstvwz" for v in "aeiou"]


def fresh_name(rng: random.Random) -> str:
    """A made-up two-word name: no word in common with the listed merchants' "Sonne-Laden 12"
    and, mostly, not like its neighbours' either, so that only the intended shares match
    (names differing in a number only are likely duplicates by the rules, rightly)."""
    return " ".join(
        "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).capitalize() for _ in range(2)
    )


def build_csv(rng: random.Random, rows: int, existing: list[tuple]) -> str:
    from directory.generate import BOUNDS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "street", "postcode", "town", "lat", "lon", "category",
                     "website", "opening_hours"])  # fmt: skip
    for i in range(rows):
        share = rng.random()
        if share < DUPLICATE_SHARE and existing:
            name, lat, lng = rng.choice(existing)
        elif share < DUPLICATE_SHARE + SIMILAR_SHARE and existing:
            name, lat, lng = rng.choice(existing)
            name, lat = name + " am Markt", float(lat) + 0.0002
        else:
            name = fresh_name(rng)
            lat = rng.uniform(BOUNDS[0], BOUNDS[2])
            lng = rng.uniform(BOUNDS[1], BOUNDS[3])
        writer.writerow([
            f"p{i}", name, f"Partnerweg {i % 300 + 1}", "44137", "Dortmund",
            f"{float(lat):.6f}", f"{float(lng):.6f}", "Café", f"https://partner-{i}.example.org",
            "Mo-Fr 09:00-18:00; Sa 10:00-14:00",
        ])  # fmt: skip
    return out.getvalue()


class QueryTimes:
    """A database execute wrapper: total time per kind of statement (its first words)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:4])[:90]
            self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - start
            self.counts[key] = self.counts.get(key, 0) + 1

    @contextlib.contextmanager
    def off(self):
        yield

    def print(self) -> None:
        print(f"statements: {sum(self.counts.values()):,} in {sum(self.seconds.values()):.1f} s")
        for key, seconds in sorted(self.seconds.items(), key=lambda item: -item[1])[:15]:
            print(f"{seconds:7.2f} s {self.counts[key]:7,}  {key}")


def baseline(directory, rows) -> float:
    """The rows as merchants by bulk INSERT (directory/generate.py's path), then rolled back."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from directory.generate import insert_child_rows
    from directory.geo import format_point, to_coordinate
    from directory.models import Category, MerchantPage

    category = Category.objects.get(name="Café")
    start = time.perf_counter()
    with transaction.atomic():
        parent = Page.objects.select_for_update().get(pk=directory.pk)
        last = parent.get_last_child()
        step = Page._str2int(last.path[-Page.steplen :]) + 1
        content_type = ContentType.objects.get_for_model(MerchantPage)
        now, pages, merchants = timezone.now(), [], []
        for i, row in enumerate(rows):
            fields = row.fields
            slug = f"bulk-{uuid.uuid4().hex[:12]}"
            pages.append(Page(
                title=fields["name"], draft_title=fields["name"], slug=slug,
                content_type=content_type, path=Page._get_path(parent.path, parent.depth + 1, step + i),  # noqa: E501
                depth=parent.depth + 1, numchild=0, url_path=f"{parent.url_path}{slug}/",
                live=True, first_published_at=now, last_published_at=now,  # noqa: E501
                locale_id=parent.locale_id, translation_key=uuid.uuid4(),
            ))  # fmt: skip
            lat, lng = to_coordinate(fields["lat"]), to_coordinate(fields["lon"])
            merchants.append(MerchantPage(
                category=category, street=fields["street"], postcode=fields["postcode"],
                city=fields["town"], location=format_point(lat, lng), latitude=lat, longitude=lng,
                website=fields["website"],
            ))  # fmt: skip
        Page.objects.bulk_create(pages, batch_size=500)
        for page, merchant in zip(pages, merchants, strict=True):
            merchant.page_ptr_id = page.pk
        insert_child_rows(merchants)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=None, help="default: as many as --rows")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--profile", default="", help="write a cProfile of import_rows here")
    parser.add_argument(
        "--query-times", action="store_true", help="print the statements import_rows spent most on"
    )
    args = parser.parse_args()
    existing = args.rows if args.existing is None else args.existing

    scratch = tempfile.mkdtemp(prefix="bench-imports-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}/db.sqlite3"
    os.environ["MEDIA_ROOT"] = scratch
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no log of every query (dev settings keep one)
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Site

    from directory.imports.parsers import parse
    from directory.imports.services import directory_of, import_rows
    from directory.models import ImportSource, Initiative, MerchantPage

    rng = random.Random(args.seed)  # noqa: S311 - synthetic data
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    directory = directory_of(site)
    start = time.perf_counter()
    missing = existing - MerchantPage.objects.count()
    if missing > 0:
        call_command("generate_merchants", count=missing, seed=args.seed, verbosity=0)
    print(
        f"{MerchantPage.objects.count():,} merchants listed ({time.perf_counter() - start:.0f} s)"
    )
    known = list(MerchantPage.objects.values_list("title", "latitude", "longitude"))
    rows = parse(build_csv(rng, args.rows, known), "csv")
    print(f"{len(rows):,} rows to import")

    base = baseline(directory, rows)
    initiative, _ = Initiative.objects.get_or_create(name="Bench", defaults={"hashtag": "#bench"})
    source = ImportSource.objects.create(site=site, name=f"Bench {time.time():.0f}",
                                         initiative=initiative, format="csv")  # fmt: skip
    profile = cProfile.Profile() if args.profile else contextlib.nullcontext()
    timer = QueryTimes()
    start = time.perf_counter()
    with profile, connection.execute_wrapper(timer) if args.query_times else timer.off():
        report = import_rows(source=source, rows=rows)
    product = time.perf_counter() - start
    if args.query_times:
        timer.print()
    if args.profile:
        profile.dump_stats(args.profile)

    print(f"import_rows: {report.summary()}; {len(report.warnings)} warnings")
    print(f"product   import_rows          {product:9.1f} s  {len(rows) / product:8.0f} rows/s")
    print(f"baseline  bulk INSERT          {base:9.1f} s  {len(rows) / base:8.0f} rows/s")
    print(f"ratio     {product / base:.1f}x")


if __name__ == "__main__":
    main()
