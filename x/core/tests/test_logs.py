"""Request ids, JSON log lines (core/logs.py) and error reports to Sentry."""

import gzip
import io
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings
from django.test import override_settings

from core.logs import logging_config

from .test_health import REFUSED_REDIS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_lines():
    """The project's logging set up as `LOG_FORMAT=json` would; yields a function that returns
    the lines written so far."""

    def configure(log_format):
        logging.config.dictConfig(logging_config(log_format=log_format, level="INFO"))
        (handler,) = logging.getLogger().handlers
        handler.setStream(stream)

    stream = io.StringIO()
    try:
        yield lambda log_format="json": configure(log_format) or stream, stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_json_log_lines_carry_the_request_id_the_response_echoes(client, log_lines):
    configure, stream = log_lines
    configure("json")
    with override_settings(CACHES=REFUSED_REDIS):
        response = client.get("/readyz", headers={"X-Request-ID": "lb-7f3a.9_Z"})
    assert response.status_code == 503
    assert response["X-Request-ID"] == "lb-7f3a.9_Z"
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    readyz = [e for e in entries if e["logger"] == "core.health"]
    assert readyz, entries
    assert {e["request_id"] for e in readyz} == {"lb-7f3a.9_Z"}
    assert "readyz: not ready (cache)" in [e["message"] for e in readyz]
    assert all(e["level"] == "WARNING" and e["time"] for e in readyz)
    # Not logged again by Django as an ERROR (Sentry would get one per probe).
    assert not [e for e in entries if e["logger"] == "django.request"]
    # Django's own request log (written after the middleware chain) carries the id as well.
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-404"})
    assert response.status_code == 404
    last = json.loads(stream.getvalue().splitlines()[-1])
    assert last["logger"] == "django.request"
    assert last["message"] == "Not Found: /no-such-page/"
    assert last["request_id"] == "lb-404"
    # ...and once the request is over, log lines carry none.
    logging.getLogger("core").warning("after the request")
    assert json.loads(stream.getvalue().splitlines()[-1])["request_id"] == "-"


@pytest.mark.django_db
def test_plain_log_lines_carry_the_request_id(client, log_lines):
    configure, stream = log_lines
    configure("plain")
    with override_settings(CACHES=REFUSED_REDIS):
        response = client.get("/readyz")
    request_id = response["X-Request-ID"]
    assert f"WARNING core.health [{request_id}] readyz: not ready (cache)" in stream.getvalue()


@pytest.mark.parametrize(
    "sent",
    ["", "has space", "x" * 65, "<script>", "ümlaut", "a/b"],
)
def test_a_bad_request_id_is_replaced(client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert request_id != sent
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)


def test_each_request_without_an_id_gets_its_own(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert client.get("/healthz", headers={"X-Request-ID": "x" * 64})["X-Request-ID"] == "x" * 64


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml")


def test_sentry_stays_off_without_a_dsn():
    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


class _Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body.decode("utf-8", "replace")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


# Runs in a process of its own: sentry-sdk patches Django for the whole process.
ERROR_IN_A_VIEW = """
import sys, types
import django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
from django.urls import path

def boom(request):
    raise RuntimeError("pulse-boom-in-a-view")

urls = types.ModuleType("boom_urls")
urls.urlpatterns = [path("boom/", boom)]
sys.modules["boom_urls"] = urls
with override_settings(ROOT_URLCONF="boom_urls", DEBUG_PROPAGATE_EXCEPTIONS=False):
    response = Client(raise_request_exception=False).get(
        "/boom/", headers={"Cookie": "sessionid=secret-cookie-value"}
    )
print(response.status_code, sentry_sdk.get_client().is_active())
sentry_sdk.flush(timeout=5)
"""


def test_an_error_in_a_view_reaches_sentry_without_personal_data():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": "sqlite://:memory:",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
            "SENTRY_ENVIRONMENT": "pulse-test",
            "SENTRY_RELEASE": "portal@1.2.3",
        }
        done = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", ERROR_IN_A_VIEW],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["500", "True"]
    assert {path for path, _ in server.received} == {"/api/1/envelope/"}
    errors = [body for _, body in server.received if "pulse-boom-in-a-view" in body]
    assert len(errors) == 1
    (envelope,) = errors
    assert "RuntimeError" in envelope
    assert '"environment":"pulse-test"' in envelope.replace(" ", "")
    assert '"release":"portal@1.2.3"' in envelope.replace(" ", "")
    assert not [body for _, body in server.received if "secret-cookie-value" in body]
