"""Search latency at city and country scale: 1,000 merchants (the baseline) against 100,000.

On a throwaway database (SQLite by default, or --database-url postgres://...), runs a mixed
query set through the search view's code path (full names, prefixes, umlaut variants, filtered
and near-me queries) and prints p50 and p95 for both sizes and the ratio between them.

    .venv/bin/python bench/search.py [--large 100000] [--database-url URL]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SMALL = 1000
ROUNDS = 5

QUERIES = [
    ("name", {"q": "Kiosk an der Möllerbrücke"}),
    ("name", {"q": "Pizzeria Da Enzo"}),
    ("umlaut", {"q": "Moellerbruecke"}),
    ("umlaut", {"q": "mollerbrucke"}),
    ("umlaut", {"q": "Strasse"}),
    ("word", {"q": "Kiosk"}),
    ("word", {"q": "Zeche"}),
    ("prefix", {"q": "möll"}),
    ("prefix", {"q": "Brü"}),
    ("filtered", {"q": "Kiosk", "district": "hoerde"}),
    ("filtered", {"q": "Café", "category": "cafe", "offers": "voucher"}),
    ("near", {"q": "Kiosk", "lat": "51.5136", "lng": "7.4653"}),
    ("near", {"q": "Laden", "lat": "51.48", "lng": "7.50"}),
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_queries(client):
    timings = []
    for _ in range(ROUNDS):
        for _kind, params in QUERIES:
            start = time.perf_counter()
            response = client.get("/api/search", params)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-search-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from directory.models import MerchantPage

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    results = {}
    for target in (SMALL, args.large):
        missing = target - MerchantPage.objects.live().count()
        start = time.perf_counter()
        call_command("generate_merchants", count=missing, seed=target, index=True, verbosity=0)
        print(f"  {target:,} merchants ready in {time.perf_counter() - start:.0f} s", flush=True)
        run_queries(client)  # warm up
        results[target] = run_queries(client)

    small, large = results[SMALL], results[args.large]
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}, {len(small)} queries per size")
    print(f"{'':10}{SMALL:>10,}{args.large:>10,}   ratio")
    for label, share in (("p50 (ms)", 0.5), ("p95 (ms)", 0.95)):
        a, b = percentile(small, share), percentile(large, share)
        print(f"{label:10}{a:10.1f}{b:10.1f}{b / a:8.1f}x")


if __name__ == "__main__":
    main()
