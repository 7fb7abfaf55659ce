"""A PostgreSQL that hangs: a TCP server that accepts and never answers stands in for it. A
separate process (so the suite's own database connection stays untouched) boots the portal with
DATABASE_URL pointing at it and asks for a page and an API route: each is a 503 within seconds,
a German page or the API's JSON error, instead of a request that hangs without limit."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.testing import HangingServer

ROOT = Path(__file__).resolve().parents[2]
BOUND = 4  # seconds per request; libpq's connect timeout is at least 2 s

SCRIPT = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="de")
out = []
for path in sys.argv[1:]:
    began = time.monotonic()
    response = client.get(path)
    out.append({
        "path": path,
        "status": response.status_code,
        "seconds": time.monotonic() - began,
        "type": response.get("Content-Type", ""),
        "retry_after": response.get("Retry-After", ""),
        "body": response.content.decode(),
    })
print(json.dumps(out))
"""


@pytest.fixture
def blackhole():
    """Listens on a free port, accepts, reads nothing, answers nothing."""
    with HangingServer() as server:
        yield server.port


def test_a_hanging_database_is_a_quick_503(blackhole):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "ELASTICSEARCH_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=f"postgres://portal@127.0.0.1:{blackhole}/portal",
        DATABASE_CONNECT_TIMEOUT="1",  # libpq makes it 2
    )
    paths = ["/", "/api/map/merchants.geojson"]
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # without a connect timeout it would hang for ever
    )
    assert done.returncode == 0, done.stderr[-3000:]
    page, api = json.loads(done.stdout.strip().splitlines()[-1])

    assert page["status"] == 503
    assert page["seconds"] < BOUND, page["seconds"]
    assert page["type"].startswith("text/html")
    assert "Das Portal ist kurz nicht erreichbar" in page["body"]
    assert "Bitte versuchen Sie es in ein paar Minuten noch einmal" in page["body"]
    assert page["retry_after"]

    assert api["status"] == 503
    assert api["seconds"] < BOUND, api["seconds"]
    assert json.loads(api["body"]) == {
        "error": "database_unavailable",
        "detail": "Die Datenbank antwortet gerade nicht. "
        "Bitte versuchen Sie es in ein paar Minuten noch einmal.",
    }
