"""Fixtures shared by every app's tests: a city site with its home page and directory."""

import os
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from wagtail.models import Page, Site

from core.cache import DegradingRedisCache
from directory.tests.factories import DirectoryPageFactory
from pages.tests.factories import HomePageFactory


class WorkerRedisCache(DegradingRedisCache):
    """Redis for one test process: its keys carry the process's prefix and clear() deletes only
    those, so that parallel workers (pytest -n) sharing one Redis database never empty each
    other's cache in the middle of a test."""

    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_worker():
    """With Redis (REDIS_URL), each test process keeps to keys of its own (of this run: two
    runs at once on one machine keep apart too)."""
    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("RedisCache"):
        yield
        return
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:12]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    own = {
        **default,
        "BACKEND": f"{WorkerRedisCache.__module__}.{WorkerRedisCache.__qualname__}",
        "KEY_PREFIX": f"portal-tests-{run}-{worker}",
    }
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        yield


@pytest.fixture(scope="session", autouse=True)
def mail_through_the_queue(django_test_environment):
    """Django's test setup sends mail straight to its outbox (locmem): put the portal's queue
    back in front of it, so tests send as production does (MAIL_DELIVERY_BACKEND is locmem)."""
    with override_settings(EMAIL_BACKEND="mailqueue.backend.QueueBackend"):
        yield


def one_request_at_a_time(handler_class):
    """The live server's handler, answering one request at a time: on SQLite the server threads
    share the test's in-memory database connection, and two requests at once (two webhooks, or
    one while the browser loads the return page) would mix their transactions on it."""
    lock = threading.Lock()

    def make(application):
        handler = handler_class(application)

        def serialized(environ, start_response):
            with lock:
                return handler(environ, start_response)

        return serialized

    return make


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; on a shared SQLite connection, one request at a time."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = one_request_at_a_time(server.thread.static_handler)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached feeds of one test must never answer another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request leaves its own active afterwards."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_home_page():
    """The city's home page, the root of the default site."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, title="Dortmund hält zusammen", slug="dortmund")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Dortmund"},
    )
    return home


def make_directory_page(home):
    return DirectoryPageFactory(parent=home, title="Betriebe", slug="betriebe")


@pytest.fixture
def home_page(db):
    return make_home_page()


@pytest.fixture
def directory_page(home_page):
    return make_directory_page(home_page)


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client
