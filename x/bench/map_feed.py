"""The map at city and country scale: 1,000 merchants (the baseline) against 100,000.

Measures, on a throwaway database, in one run:
- the GeoJSON feed built from scratch (cache cleared) and served from the cache,
- its size raw and gzipped,
- in Chromium: Supercluster indexing the whole feed and clustering the visible map.

    .venv/bin/python bench/map_feed.py [--large 100000] [--database-url URL]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SMALL = 1000
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def median_ms(function, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def measure_feed(client, cache):
    def fresh():
        cache.clear()
        assert client.get("/api/map/merchants.geojson").status_code == 200

    def cached():
        assert client.get("/api/map/merchants.geojson").status_code == 200

    fresh()
    body = client.get("/api/map/merchants.geojson").content
    gzipped = client.get("/api/map/merchants.geojson", headers={"Accept-Encoding": "gzip"})
    return {
        "build_ms": median_ms(fresh, 5),
        "cached_ms": median_ms(cached, 20),
        "raw_kb": len(body) / 1024,
        "gzip_kb": len(gzipped.content) / 1024,
        "body": body,
    }


CLUSTER_JS = """(geojson) => {
  const features = JSON.parse(geojson).features;
  const t0 = performance.now();
  const index = new Supercluster({radius: 80, maxZoom: 17}).load(features);
  const t1 = performance.now();
  const city = index.getClusters([7.30, 51.42, 7.64, 51.60], 13);
  const t2 = performance.now();
  const street = index.getClusters([7.445, 51.505, 7.46, 51.51], 17);
  const t3 = performance.now();
  return {load_ms: t1 - t0, city_ms: t2 - t1, street_ms: t3 - t2, markers: city.length};
}"""


def measure_browser(bodies):
    from playwright.sync_api import sync_playwright

    script = (ROOT / "node_modules/supercluster/dist/supercluster.min.js").read_text()
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.set_content(f"<script>{script}</script>")
        for body in bodies:
            runs = [page.evaluate(CLUSTER_JS, body.decode()) for _ in range(3)]
            results.append({k: statistics.median(r[k] for r in runs) for k in runs[0]})
        browser.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-map-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from directory.models import MerchantPage

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    results = {}
    for target in (SMALL, args.large):
        missing = target - MerchantPage.objects.live().count()
        call_command("generate_merchants", count=missing, seed=target, verbosity=0)
        results[target] = measure_feed(client, cache)
    browser = measure_browser([results[SMALL]["body"], results[args.large]["body"]])

    small, large = results[SMALL], results[args.large]
    print(f"database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print(f"{'':24}{SMALL:>12,}{args.large:>12,}   ratio")
    for label, key in [
        ("feed, built (ms)", "build_ms"),
        ("feed, from cache (ms)", "cached_ms"),
        ("feed size raw (KiB)", "raw_kb"),
        ("feed size gzip (KiB)", "gzip_kb"),
    ]:
        print(f"{label:24}{small[key]:12.1f}{large[key]:12.1f}{large[key] / small[key]:8.1f}x")
    for label, key in [
        ("supercluster load (ms)", "load_ms"),
        ("clusters, city (ms)", "city_ms"),
        ("clusters, street (ms)", "street_ms"),
        ("markers drawn, city", "markers"),
    ]:
        a, b = browser[0][key], browser[1][key]
        print(f"{label:24}{a:12.1f}{b:12.1f}{b / a if a else float('nan'):8.1f}x")


if __name__ == "__main__":
    main()
