"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import base64
import os
import re
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e import worlds

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TILE_HOST = "tiles.invalid"  # MAP_TILE_URL in the test settings
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
PHONE = {"width": 390, "height": 844}
KIOSK = "Kiosk an der Möllerbrücke"
KIOSK_OWNER = "kiosk@example.org"
PASSWORD = "Kiosk-Kasse-2026"  # noqa: S105 - a test account
VOUCHER_CODE = re.compile(r"\b([2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}\b")  # as printed


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread while the tests around it still
    # use Django's ORM synchronously.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests, never skip them
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class Visit:
    """A browser tab that records console errors and every request to another host.

    Map tiles are answered with a blank image (or refused, to test a map without tiles); any
    other request off the live server is recorded and refused: nothing may come from a CDN.
    """

    def __init__(self, browser, base_url, viewport, tiles=True, allow_hosts=()):
        self.tiles = tiles
        self.allow_hosts = set(allow_hosts)  # e.g. localstripe, standing in for Stripe
        self.context = browser.new_context(viewport=viewport, locale="de-DE")
        self.page = self.context.new_page()
        self.base_host = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.page.on(
            "console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text)
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        host = urlsplit(url).netloc
        if host == TILE_HOST:
            if self.tiles:
                return route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
            return route.fulfill(status=503, body=b"")
        if url.startswith(("http://", "https://")) and host not in {
            self.base_host,
            *self.allow_hosts,
        }:
            # Map tiles and the like: never reach the internet from a test.
            self.foreign_requests.append(url)
            return route.abort()
        return route.continue_()

    def screenshot(self, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        self.page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


@pytest.fixture
def visit(browser, live_server):
    visits = []

    def open_visit(viewport=None, tiles=True, allow_hosts=()):
        v = Visit(
            browser, live_server.url, viewport or {"width": 1280, "height": 900}, tiles, allow_hosts
        )
        visits.append(v)
        return v

    yield open_visit
    for v in visits:
        v.context.close()


@pytest.fixture(scope="session")
def demo_worlds(browser, django_db_setup, django_db_blocker):
    """The demo city ("city"), and the city with its offers and a kiosk owner who can sign in
    ("kiosk"): seeded once per test process, from an empty database as after any transactional
    test, and kept as snapshots (tests/e2e/worlds.py). Not at all without a browser to test."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from directory import accounts
    from directory.models import MerchantPage

    with django_db_blocker.unblock():
        worlds.empty_database()
        call_command("seed_demo", verbosity=0)
        worlds.snapshot("city")
        call_command("seed_demo_offers", verbosity=0)
        owner = get_user_model().objects.create_user(KIOSK_OWNER, KIOSK_OWNER, PASSWORD)
        accounts.grant_rights(owner, MerchantPage.objects.get(title=KIOSK))
        worlds.snapshot("kiosk")
        worlds.empty_database()  # as a transactional test leaves it, for whatever comes next


@pytest.fixture
def demo_city(demo_worlds, transactional_db, live_server):
    """The demo city, committed for the live server; each test gets it as seeded."""
    worlds.restore("city")


@pytest.fixture
def kiosk(demo_worlds, transactional_db, live_server):
    """The demo city with its offers; the kiosk's owner can sign in (KIOSK_OWNER, PASSWORD)."""
    from django.core import mail

    from directory.models import MerchantPage

    worlds.restore("kiosk")
    mail.outbox.clear()
    return MerchantPage.objects.get(title=KIOSK)


def sign_in_at_the_counter(page, base):
    """The kiosk's owner signs in and opens the counter page; returns the page."""
    page.goto(base + "/admin/login/")
    page.fill("#id_username", KIOSK_OWNER)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(base + "/admin/")
    page.goto(base + "/admin/support/redeem/")
    return page
