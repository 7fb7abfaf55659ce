"""bench/scale.py's browser row: the directory page in Debian's Chromium (Playwright).

Per load, in a fresh browser context (no HTTP cache): the time from navigation start to the
first marker or cluster element the map draws (static/js/map.js: `.map-cluster`, `.map-point`),
the JS heap after a garbage collection once drawn (the page's and its Web Workers'), and the
longest main-thread task (PerformanceObserver "longtask"). Requests leaving 127.0.0.1 (map tiles)
are aborted. Sizes
alternate; the median of ROUNDS loads each.
"""

import json
import os
import statistics

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROUNDS = 3
SETTLE_MS = 1000  # after the first marker: long tasks still running are counted

OBSERVE = """
window.__bench = {drawn: null, longest: 0};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__bench.longest = Math.max(window.__bench.longest, entry.duration);
  }
}).observe({type: "longtask", buffered: true});
new MutationObserver((changes, observer) => {
  if (document.querySelector(".map-cluster, .map-point")) {
    window.__bench.drawn = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def worker_heaps(page, cdp) -> list[int]:
    """The used JS heap of each Web Worker of the page after a GC: the map may cluster in one,
    and its heap is the page's too. Through CDP's (non-flat) target messages, which
    Playwright's CDP session can carry."""
    sessions, answers = [], {}
    cdp.on("Target.attachedToTarget", lambda event: sessions.append(event["sessionId"]))
    cdp.on(
        "Target.receivedMessageFromTarget",
        lambda event: answers.setdefault(event["sessionId"], []).append(
            json.loads(event["message"])
        ),
    )
    cdp.send(
        "Target.setAutoAttach",
        {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False},
    )
    page.wait_for_timeout(300)
    for session in sessions:
        for number, method in ((1, "HeapProfiler.collectGarbage"), (2, "Runtime.getHeapUsage")):
            message = json.dumps({"id": number, "method": method})
            cdp.send("Target.sendMessageToTarget", {"sessionId": session, "message": message})
    heaps = []
    for session in sessions:
        for _ in range(50):
            found = [m for m in answers.get(session, []) if m.get("id") == 2]
            if found:
                heaps.append(found[0]["result"]["usedSize"])
                break
            page.wait_for_timeout(100)
    return heaps


def load(browser, url: str) -> dict:
    context = browser.new_context()
    try:
        context.add_init_script(OBSERVE)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("http://127.0.0.1")
                else route.abort()
            ),
        )
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=120_000)
        # wait_for_function would evaluate a string, which the portal's CSP forbids
        page.wait_for_selector(".map-cluster, .map-point", state="attached", timeout=120_000)
        page.wait_for_timeout(SETTLE_MS)
        figures = page.evaluate("window.__bench")
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
        workers = worker_heaps(page, cdp)
        return {
            "drawn_ms": figures["drawn"],
            "longtask_ms": figures["longest"],
            "heap_mb": (heap + sum(workers)) / 1e6,
            "workers": len(workers),
        }
    finally:
        context.close()


def measure_browser(urls: dict[int, str]) -> dict[int, dict]:
    from playwright.sync_api import sync_playwright

    runs = {size: [] for size in urls}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for number in range(ROUNDS):
                order = list(urls) if number % 2 == 0 else list(urls)[::-1]
                for size in order:
                    runs[size].append(load(browser, urls[size]))
        finally:
            browser.close()
    return {
        size: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for size, results in runs.items()
    }
