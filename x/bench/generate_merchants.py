"""How fast generate_merchants fills a city: 1,000 merchants (the baseline) against N.

Runs on a throwaway database (SQLite by default; pass --database-url for PostgreSQL) and
prints seconds and the time per merchant as a ratio of the baseline's, measured in this run.

    .venv/bin/python bench/generate_merchants.py [--count 50000] [--database-url URL]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = 1000


def manage(env, *args):
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def timed(env, count: int) -> float:
    start = time.perf_counter()
    manage(env, "generate_merchants", "--count", str(count), "--seed", "1", "--verbosity", "0")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": tmp}
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        baseline = timed(env, BASELINE)
        measured = timed(env, args.count)

    per_baseline = baseline / BASELINE
    per_measured = measured / args.count
    print(f"database: {url.split(':')[0]}")
    print(f"{BASELINE:>7,} merchants: {baseline:7.2f} s  ({per_baseline * 1e3:.3f} ms each)")
    print(
        f"{args.count:>7,} merchants: {measured:7.2f} s  ({per_measured * 1e3:.3f} ms each, "
        f"{per_measured / per_baseline:.2f}x the baseline's time per merchant)"
    )


if __name__ == "__main__":
    main()
