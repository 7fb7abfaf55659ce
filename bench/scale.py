"""Issue 15's table at a country's size: every row as product, baseline and ratio, one run.

Builds 1,000 and --large (100,000) synthetic merchants once each in their own throwaway
database (SQLite files, or with --database-url postgres://HOST/NAME the databases NAME_1k and
NAME_100k; with --keep in bench/.data/ and on the server, reused next time), serves each with
the production settings (DEBUG off) under gunicorn with 2 sync workers after collectstatic, and
measures, product and baseline alternated in batches so both see the same machine:

- pages (directory, home, merchant): req/s and p50 with `ab -c 2`, against a bare Django view
  of the same byte size in the same server (bench/bare_app.py), and the page at 1k; the
  queries each page takes (CaptureQueriesContext, bench/scale_inproc.py). Production keeps
  anonymous pages in the shared cache (PAGE_CACHE_SERVER), so these rows measure that copy;
- render: the same pages on servers started with PAGE_CACHE_SERVER=0, rendered every time
- feed: the cached gzipped GeoJSON feed and the map's points feed against Debian's nginx
  serving the same bytes (gzip_static)
- miss: the feed rebuilt on a cache miss against raw SQL + orjson + gzip of the same columns
- bytes: gzipped bytes per merchant of the map's points feed and of the GeoJSON feed against a
  minimal [id, lon, lat, category] encoding
- box: a bbox + category feed, uncached (a new bbox each request), at 100k against 1k
- browser: Playwright in Debian's Chromium: navigation to the first marker or cluster drawn
  (`.map-cluster`, `.map-point`), JS heap after GC, longest main-thread task, 100k against 1k

    .venv/bin/python bench/scale.py [--keep] [--only pages,render,feed,miss,bytes,box,browser]
        [--large 100000] [--seconds 6] [--database-url URL] [--redis-url redis://HOST/DB]

--redis-url: the 1k server uses that Redis database, the large one the next (DB+1); both are
flushed at the start. Needs nginx and ab (apt-get install nginx apache2-utils). Not a test.
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_browser import measure_browser  # noqa: E402
from scale_servers import (
    CHUNK,
    PYTHON,
    ROOT,
    Database,
    Gunicorn,
    Nginx,
    ab,
    label,
    manage,
    production_env,
)  # noqa: E402

SMALL = 1000
ROWS = ("pages", "render", "feed", "miss", "bytes", "box", "browser")
PAGES = [("directory (map) page", "/betriebe/"), ("home page", "/")]
MERCHANT = ("merchant page", "/betriebe/kiosk-an-der-moellerbruecke/")
FEED = "/api/map/merchants.geojson"
POINTS = "/api/map/points"  # what the map itself reads
BOX = "7.44,51.49,7.48,51.52"
CONCURRENCY = 2


def get(url: str, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local server
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.read()


def show(what: str, product: str, baseline: str, ratio: float, note: str = "") -> None:
    shown = f"{ratio:8.3f}x" if ratio == ratio else "       -"  # nan: a baseline of 0
    print(f"{what:62} {product:>9} {baseline:>9} {shown}  {note}", flush=True)


def alternate(targets: dict, seconds: float, gzip_header: bool = False) -> dict:
    """ab batches against each target in turn (order rotated each round); per target the
    requests per second over all its batches and the median of the batches' p50."""
    rounds = max(3, round(seconds / 2))
    batches = {name: [] for name in targets}
    names = list(targets)
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            batches[name].append(ab(targets[name], seconds / rounds, CONCURRENCY, gzip_header))
    return {
        name: {
            "rps": sum(b["requests"] for b in runs) / sum(b["seconds"] for b in runs),
            "p50": statistics.median(b["p50"] for b in runs),
            "bytes": runs[0]["bytes"],
        }
        for name, runs in batches.items()
    }


def inproc(server: Gunicorn, *args: str) -> dict:
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [PYTHON, str(ROOT / "bench" / "scale_inproc.py"), *args],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"scale_inproc.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def pages_rows(small: Gunicorn, large: Gunicorn, seconds: float, how: str) -> None:
    big, little = label(large.size), label(small.size)
    counts = {
        s.size: inproc(s, "queries", *(p for _, p in [*PAGES, MERCHANT])) for s in (small, large)
    }
    for what, path in [*PAGES, MERCHANT]:
        size = len(get(large.base + path))
        result = alternate(
            {
                "bare": f"{large.base}/bench-bare/{size}/",
                "large": large.base + path,
                "small": small.base + path,
            },
            seconds,
        )
        bare, at_large, at_small = result["bare"], result["large"], result["small"]
        queries = "; ".join(
            f"{counts[s][path]} queries at {label(s)} ({counts[s]['cache:' + path]} cache reads)"
            for s in (large.size, small.size)
        )
        show(
            f"{what} {big}, {how}, req/s vs bare",
            f"{at_large['rps']:.1f}",
            f"{bare['rps']:.1f}",
            at_large["rps"] / bare["rps"],
            f"{size:,} bytes; {queries}",
        )
        show(
            f"{what} {big}, {how}, p50 ms vs bare",
            f"{at_large['p50']:.1f}",
            f"{bare['p50']:.1f}",
            at_large["p50"] / bare["p50"],
        )
        show(
            f"{what}, {how}, req/s {big} vs {little}",
            f"{at_large['rps']:.1f}",
            f"{at_small['rps']:.1f}",
            at_large["rps"] / at_small["rps"],
        )


def feed_bytes(server: Gunicorn, path: str = FEED) -> tuple[bytes, bytes]:
    raw = get(server.base + path)
    gzipped = get(server.base + path, {"Accept-Encoding": "gzip"})
    assert gzip.decompress(gzipped) == raw
    return raw, gzipped


def feed_row(large: Gunicorn, cache: str, path: str, seconds: float) -> None:
    raw, gzipped = feed_bytes(large, path)
    nginx = Nginx({"feed.geojson": (raw, gzipped)})
    try:
        assert get(nginx.base + "/feed.geojson", {"Accept-Encoding": "gzip"}) == gzipped
        result = alternate(
            {"portal": large.base + path, "nginx": nginx.base + "/feed.geojson"}, seconds, True
        )
    finally:
        nginx.stop()
    portal, baseline = result["portal"], result["nginx"]
    for name, figures in result.items():  # both sent the gzipped bytes, not the raw ones
        assert figures["bytes"] == len(gzipped), (name, figures["bytes"], len(gzipped))
    name = "points feed" if path == POINTS else "GeoJSON feed"
    what = f"cached {name} gzip {label(large.size)}, {cache}"
    show(
        f"{what}: p50 ms vs nginx",
        f"{portal['p50']:.1f}",
        f"{baseline['p50']:.1f}",
        portal["p50"] / baseline["p50"],
        f"{len(gzipped):,} bytes gzipped",
    )
    show(
        f"{what}: req/s vs nginx",
        f"{portal['rps']:.1f}",
        f"{baseline['rps']:.1f}",
        portal["rps"] / baseline["rps"],
    )


def miss_row(large: Gunicorn, seconds: float) -> None:
    result = inproc(large, "feed-miss", str(max(3, round(seconds))))
    show(
        f"feed rebuild on a miss {label(large.size)}, ms vs raw SQL+orjson+gzip",
        f"{result['product_ms']:.0f}",
        f"{result['baseline_ms']:.0f}",
        result["product_ms"] / result["baseline_ms"],
    )


def bytes_row(large: Gunicorn) -> None:
    """Both feeds against the smallest honest encoding of what the map needs."""
    raw, geojson_gzipped = feed_bytes(large, FEED)
    features = json.loads(raw)["features"]
    categories = sorted({f["properties"]["category"] for f in features})
    index = {slug: number for number, slug in enumerate(categories)}
    rows = [
        [f["id"], *f["geometry"]["coordinates"], index[f["properties"]["category"]]]
        for f in features
    ]
    minimal = gzip.compress(
        json.dumps({"categories": categories, "rows": rows}, separators=(",", ":")).encode(),
        compresslevel=6,
    )
    points_raw, points_gzipped = feed_bytes(large, POINTS)
    count = len(features)
    assert len(json.loads(points_raw)["points"]) == count  # the same merchants in both
    for name, gzipped in [("map's points feed", points_gzipped), ("GeoJSON feed", geojson_gzipped)]:
        show(
            f"gzipped bytes per merchant, {name} ({count:,})",
            f"{len(gzipped) / count:.1f}",
            f"{len(minimal) / count:.1f}",
            len(gzipped) / len(minimal),
            "vs minimal [id, lon, lat, category]",
        )


def box_row(small: Gunicorn, large: Gunicorn, category: str, seconds: float) -> None:
    """Sequential requests, the sizes alternated, each with a bbox never asked before."""
    timings = {small.size: [], large.size: []}
    west, south, east, north = (float(v) for v in BOX.split(","))
    number, spent = 0, {small.size: 0.0, large.size: 0.0}
    while min(spent.values()) < seconds or number < 6:
        server = (small, large)[number % 2]
        shift = (number + 1) * 1e-6
        url = (
            f"{server.base}{FEED}?bbox={west + shift:.6f},{south:.6f},{east:.6f},{north:.6f}"
            f"&category={category}"
        )
        start = time.perf_counter()
        get(url, {"Accept-Encoding": "gzip"})
        elapsed = time.perf_counter() - start
        timings[server.size].append(elapsed * 1000)
        spent[server.size] += elapsed
        number += 1
    a, b = statistics.median(timings[large.size]), statistics.median(timings[small.size])
    show(
        f"box + category feed uncached, p50 ms {label(large.size)} vs {label(small.size)}",
        f"{a:.1f}",
        f"{b:.1f}",
        a / b,
        f"bbox={BOX}, category={category}, {len(timings[large.size])} each",
    )


def browser_rows(small: Gunicorn, large: Gunicorn) -> None:
    result = measure_browser({s.size: s.base + PAGES[0][1] for s in (small, large)})
    big, little = result[large.size], result[small.size]
    for what, key, unit in [
        ("navigation -> first cluster drawn", "drawn_ms", "ms"),
        ("JS heap after GC, page + workers", "heap_mb", "MB"),
        ("longest main-thread task", "longtask_ms", "ms"),
    ]:
        show(
            f"browser: {what} ({unit}), {label(large.size)} vs {label(small.size)}",
            f"{big[key]:.1f}",
            f"{little[key]:.1f}",
            big[key] / little[key] if little[key] else float("nan"),
            f"web workers: {big['workers']:.0f} at {label(large.size)}" if key == "heap_mb" else "",
        )


def redis_urls(url: str | None) -> tuple[str | None, str | None]:
    if not url:
        return None, None
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0)
    urls = tuple(urlunsplit(parts._replace(path=f"/{n}")) for n in (db, db + 1))
    import redis

    for each in urls:
        redis.Redis.from_url(each).flushdb()
    return urls


def build(databases: list[Database]) -> None:
    building = [(d, d.start_build()) for d in databases if not d.ready()]
    together = " (both sizes built at once)" if len(building) > 1 else ""
    for database, process in building:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"building {label(database.size)} failed")
        seeded, generated, count = out.split()
        database.build_seconds = time.perf_counter() - database.started
        print(
            f"  built {label(database.size)}: migrate + seed_demo {seeded} s, "
            f"generate_merchants {count} in chunks of {CHUNK:,} {generated} s, total "
            f"{database.build_seconds:.0f} s{together}",
            flush=True,
        )
    for database in databases:
        if database.build_seconds is None:  # kept: brought up to the code's migrations
            manage(database.env(), "migrate", "--noinput", "-v0")
            manage(database.env(), "createcachetable")
            vendor = database.url.split("://")[0]
            print(f"  {label(database.size)}: reused ({vendor}, --keep), migrated")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep and reuse the databases")
    parser.add_argument("--database-url", default=None, help="postgres://HOST:PORT/NAME")
    parser.add_argument("--redis-url", default=None, help="redis://HOST:PORT/DB")
    parser.add_argument("--only", default=",".join(ROWS), help="comma-separated: " + ",".join(ROWS))
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=6, help="per side and measurement")
    args = parser.parse_args()
    only = {r.strip() for r in args.only.split(",") if r.strip()}
    if only - set(ROWS):
        parser.error(f"--only takes {', '.join(ROWS)}")

    vendor = "postgresql" if args.database_url else "sqlite"
    cache = "Redis" if args.redis_url else "database cache"
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(
        f"bench/scale.py: {vendor} + {cache}, {os.cpu_count()} cores shared with other work "
        f"(load average {load}), gunicorn 2 sync workers, ab -c {CONCURRENCY}, "
        f"{args.seconds:g} s per side per measurement",
        flush=True,
    )
    databases = [Database(size, args.database_url, args.keep) for size in (SMALL, args.large)]
    servers = []
    try:
        build(databases)
        # with the production settings: their storage writes the manifest the pages read
        manage(production_env(databases[0], None, 8000), "collectstatic", "--noinput", "-v0")
        redis = redis_urls(args.redis_url)
        servers = [Gunicorn(d, r) for d, r in zip(databases, redis, strict=True)]
        small, large = servers
        feed_bytes(large)  # fills both caches
        feed_bytes(large, POINTS)
        small_raw, _ = feed_bytes(small)
        features = json.loads(small_raw)["features"]
        categories = [f["properties"]["category"] for f in features]
        category = max(set(categories), key=categories.count)
        print(f"{'what':62} {'product':>9} {'baseline':>9} {'ratio':>9}", flush=True)
        if "pages" in only:
            pages_rows(small, large, args.seconds, "page copy")
        if "render" in only:
            rendering = [
                Gunicorn(d, r, {"PAGE_CACHE_SERVER": "0"})
                for d, r in zip(databases, redis, strict=True)
            ]
            servers += rendering
            pages_rows(*rendering, args.seconds, "rendered")
        if "feed" in only:
            feed_row(large, cache, FEED, args.seconds)
            feed_row(large, cache, POINTS, args.seconds)
        if "miss" in only:
            miss_row(large, args.seconds)
        if "bytes" in only:
            bytes_row(large)
        if "box" in only:
            box_row(small, large, category, args.seconds)
        if "browser" in only:
            browser_rows(small, large)
        load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
        print(f"load average at the end: {load}")
    finally:
        for server in servers:
            server.stop()
        for database in databases:
            database.drop()


if __name__ == "__main__":
    main()
