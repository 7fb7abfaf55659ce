"""gunicorn's configuration for the portal's web process, read from the environment.

    gunicorn --config deploy/gunicorn.conf.py portal.wsgi

| variable | default | |
|---|---|---|
| `BIND` | `127.0.0.1:$PORT` | where to listen (`0.0.0.0:8000` in a container, `unix:/run/...`) |
| `PORT` | `8000` | used when BIND is not set |
| `WEB_CONCURRENCY` | `2` | worker processes (about one or two per CPU core) |
| `GUNICORN_THREADS` | `4` | threads per worker (gthread): requests one worker serves at once |
| `GUNICORN_TIMEOUT` | `30` | seconds a request may take before its worker is killed and restarted |
| `GUNICORN_GRACEFUL_TIMEOUT` | `30` | seconds running requests get to finish on stop or restart |
| `GUNICORN_KEEPALIVE` | `5` | seconds an idle keep-alive connection stays open (nginx in front) |
| `GUNICORN_MAX_REQUESTS` | `1000` | a worker is replaced after this many requests (0: never) |
| `FORWARDED_ALLOW_IPS` | `127.0.0.1,::1` | proxies whose X-Forwarded-Proto gunicorn believes, |
| | | when `TRUSTED_PROXY_COUNT` > 0 (with 0, gunicorn believes nobody) |
| `GUNICORN_CONTROL_SOCKET` | (none) | a path for `gunicornc`'s control socket; off without it |
| `GUNICORN_LOG_LEVEL` | `info` | gunicorn's own messages (start, workers, timeouts) |
| `LOG_FORMAT` | `plain` | `json`: one JSON object a line, as for Django (core/logs.py) |

The access log goes to stdout in the portal's own line format (or as JSON lines with
LOG_FORMAT=json), with the request id the portal answered in X-Request-ID; gunicorn's own
messages go to stderr like Django's.
"""

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.logs import PLAIN_FORMAT, JsonFormatter  # noqa: E402 - needs ROOT on sys.path


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


chdir = str(ROOT)
wsgi_app = "portal.wsgi:application"
# The workers are forked from this process and inherit its environment.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
# The master's lines in the same time zone as the workers' (Django sets TZ from TIME_ZONE).
os.environ["TZ"] = os.environ.get("TIME_ZONE", "Europe/Berlin")
time.tzset()

bind = [os.environ.get("BIND", "").strip() or f"127.0.0.1:{_int('PORT', 8000)}"]
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Every worker loads the application itself: a worker restarted after max_requests starts
# clean, and no database connection is shared across fork.
preload_app = False

# Which peers may tell gunicorn the request came over https (X-Forwarded-Proto). This follows
# TRUSTED_PROXY_COUNT (core/ratelimit.py): with no proxy in front (0) nobody's headers are
# believed; behind nginx on the same host, 127.0.0.1 and ::1; behind a load balancer, set
# FORWARDED_ALLOW_IPS to its address or network.
if _int("TRUSTED_PROXY_COUNT", 0) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
else:
    forwarded_allow_ips = ""

# gunicornc's control socket only where asked for: its default path ($HOME/.gunicorn) would be
# shared by every gunicorn of the user.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-forwarded-for}i)s" "%(a)s"'


class AccessRecordFilter(logging.Filter):
    """Puts the request id the portal answered (X-Request-ID) on access records, and the
    request's figures as attributes, which the JSON formatter writes as fields of their own."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args if isinstance(record.args, dict) else {}
        record.request_id = atoms.get("{x-request-id}o", "-") if atoms else "-"
        if atoms:
            record.method = atoms.get("m")
            record.path = atoms.get("U")
            record.status = atoms.get("s")
            record.duration_ms = atoms.get("M")
            record.remote_addr = atoms.get("h")
        return True


class NoRequestFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return True


_json = os.environ.get("LOG_FORMAT", "plain").strip().lower() == "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "access": {"()": AccessRecordFilter},
        "no_request": {"()": NoRequestFilter},
    },
    "formatters": {"portal": {"()": JsonFormatter} if _json else {"format": PLAIN_FORMAT}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["access"],
            "formatter": "portal",
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["no_request"],
            "formatter": "portal",
        },
    },
    "root": {"level": "WARNING", "handlers": ["error"]},
    "loggers": {
        # propagate False: Django's own logging (the root logger, stderr) would repeat them
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["error"],
            "propagate": False,
        },
    },
}
