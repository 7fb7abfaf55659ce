"""Search latency at city and country scale: 1,000 merchants (the baseline) against 100,000.

Each size gets its own throwaway database (SQLite files by default; with --database-url
postgres://.../NAME, the databases NAME_1000 and NAME_100000 on that server, dropped and
created) and its own worker process. Once both are built, the mixed query set (full names,
prefixes, umlaut variants, filtered and near-me queries) runs through the search view's code
path, query by query in turn on the two sizes, so that both figures see the same machine: on a
shared virtual machine, two runs minutes apart differ by more than the ratio's margin.
Prints p50 and p95 per size, their ratio, and the median per query.

    .venv/bin/python bench/search.py [--large 100000] [--database-url URL] [--keep DIR]

--keep DIR keeps the built databases (SQLite files and media in DIR; PostgreSQL databases on
the server) and reuses them the next time, so that a second run only measures: building 100,000
merchants takes minutes, and on a busy machine it is better to build then and measure later.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
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


def worker(size: int, database_url: str, media_root: str):
    """Build a database of `size` merchants, then answer query numbers from stdin with the
    milliseconds each took, one per line."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.pop("REDIS_URL", None)  # a shared cache would mix the two sizes' cached state
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from directory.models import MerchantPage

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    missing = size - MerchantPage.objects.live().count()
    if missing > 0:  # none when a kept database is reused
        call_command("generate_merchants", count=missing, seed=size, index=True, verbosity=0)
    built = time.perf_counter() - start
    client = Client()

    def timed(number: int) -> float:
        start = time.perf_counter()
        response = client.get("/api/search", QUERIES[number][1])
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.content
        return elapsed

    for number in range(len(QUERIES)):  # warm up caches and the database's pages
        timed(number)
    print(json.dumps({"ready": built}), flush=True)
    for line in sys.stdin:
        print(json.dumps({"ms": timed(int(line))}), flush=True)


def postgres_database(url: str, name: str, keep: bool) -> str:
    """Database `name` on the server of `url`, fresh unless kept from an earlier run; returns
    its URL."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (keep and exists):
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


class Worker:
    def __init__(self, size: int, database_url: str, media_root: str):
        self.size = size
        self.process = subprocess.Popen(  # noqa: S603 - this script, our own arguments
            [sys.executable, __file__, "--worker", str(size), database_url, media_root],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.size:,} merchants worker stopped")
        return json.loads(line)

    def ask(self, number: int) -> float:
        self.process.stdin.write(f"{number}\n")
        self.process.stdin.flush()
        return self.read()["ms"]

    def stop(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        return worker(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", metavar="DIR", default=None)
    args = parser.parse_args()

    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    tmp = str(Path(args.keep).resolve()) if args.keep else tempfile.mkdtemp(prefix="bench-search-")
    sizes = (SMALL, args.large)
    workers = []
    for size in sizes:  # both build at once, one per core
        if args.database_url:
            name = urlsplit(args.database_url).path.lstrip("/") or "bench"
            url = postgres_database(args.database_url, f"{name}_{size}", bool(args.keep))
        else:
            url = f"sqlite:///{tmp}/bench-{size}.sqlite3"
        workers.append(Worker(size, url, tmp))
    for each in workers:
        print(f"  {each.size:,} merchants ready after {each.read()['ready']:.0f} s", flush=True)

    timings = {size: {number: [] for number in range(len(QUERIES))} for size in sizes}
    for round_number in range(ROUNDS):
        for number in range(len(QUERIES)):
            order = workers if (round_number + number) % 2 else workers[::-1]
            for each in order:
                timings[each.size][number].append(each.ask(number))
    for each in workers:
        each.stop()

    small, large = ([t for ts in timings[s].values() for t in ts] for s in sizes)
    vendor = (args.database_url or "sqlite").split(":")[0]
    print(f"database: {vendor}, {len(small)} queries per size, sizes measured in turn")
    print(f"{'':10}{SMALL:>10,}{args.large:>10,}   ratio")
    for label, share in (("p50 (ms)", 0.5), ("p95 (ms)", 0.95)):
        a, b = percentile(small, share), percentile(large, share)
        print(f"{label:10}{a:10.1f}{b:10.1f}{b / a:8.2f}x")
    print("median per query (ms):")
    for number, (kind, params) in enumerate(QUERIES):
        a, b = (statistics.median(timings[s][number]) for s in sizes)
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        print(f"  {kind:9}{shown:52}{a:8.1f}{b:8.1f}")


if __name__ == "__main__":
    main()
