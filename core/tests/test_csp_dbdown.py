"""The Content-Security-Policy when the database is away or a page fails: the city's own tile
sources come from the database, so error pages go without them and never ask it, and a page
that needs no database still gets its policy instead of a 500 without one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path

from core.testing import HangingServer

ROOT = Path(__file__).resolve().parents[2]
# Seconds per request: libpq's connect timeout is at least 2 s; the rest is slack for a loaded
# CI machine (a database that hangs would hang the request without limit).
BOUND = 6

# Asks for one path per line read from stdin, so the test can count the connection attempts
# each request made on the hanging "database".
SCRIPT = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="de")
for line in sys.stdin:
    began = time.monotonic()
    response = client.get(line.strip())
    print(json.dumps({
        "status": response.status_code,
        "seconds": time.monotonic() - began,
        "csp": response.get("Content-Security-Policy", ""),
    }), flush=True)
"""


def _ask_without_a_database(database: HangingServer) -> dict:
    """Each page's answer in a process whose database hangs, with the connection attempts
    that request made."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "ELASTICSEARCH_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"postgres://portal@127.0.0.1:{database.port}/portal",
        DATABASE_CONNECT_TIMEOUT="1",  # libpq makes it 2
    )
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    answers = {}
    try:
        # The home page needs the database: 503. Django's admin login needs none, but the
        # policy's city tiles would ask it (and a failing ask used to make it a 500).
        # /healthz first: the first request of a process pays for loading the URLs.
        for page in ("/healthz", "/", "/django-admin/login/"):
            before = database.accepted
            process.stdin.write(page + "\n")
            process.stdin.flush()
            answers[page] = json.loads(process.stdout.readline())
            answers[page]["attempts"] = database.accepted - before
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    return answers


def test_without_a_database_each_page_asks_it_once_and_keeps_its_policy():
    with HangingServer() as database:
        answers = _ask_without_a_database(database)
    home, login = answers["/"], answers["/django-admin/login/"]
    assert home["status"] == 503
    assert home["seconds"] < BOUND, home["seconds"]
    assert home["attempts"] == 1  # the view's; none for the policy
    assert "default-src 'self'" in home["csp"]
    img_src = next(d for d in home["csp"].split(";") if d.strip().startswith("img-src"))
    assert img_src.split()[1:] == ["'self'", "data:", "blob:", "https://tiles.invalid"]

    assert login["status"] == 200
    assert login["seconds"] < BOUND, login["seconds"]
    assert login["attempts"] == 1  # the policy's one try, then the policy without city tiles
    assert "default-src 'self'" in login["csp"]


def failing_view(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("kaputt/", failing_view)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_has_a_policy_and_asks_the_database_nothing():
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/kaputt/")
    assert response.status_code == 500
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert [q["sql"] for q in queries] == []
