"""Logs with a request id, as plain text or one JSON object per line, and error reports to Sentry.

- `RequestIdMiddleware` (first in MIDDLEWARE) takes the request's `X-Request-ID` when it is a
  sane one (1 to 64 characters of `A-Z a-z 0-9 . _ -`) or makes a new one, answers it in the
  response's `X-Request-ID` and keeps it in a context variable for the request's duration.
- `RequestIdFilter` puts it on every log record as `request_id` ("-" outside a request).
- `JsonFormatter` writes a record as one line of JSON (`LOG_FORMAT=json`).
- `logging_config()` is the LOGGING dictionary of portal/settings/base.py.
- `init_sentry()` starts sentry-sdk when a DSN is given, and does nothing otherwise.

Nothing here imports Django at module level: the settings module imports this file.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_NO_REQUEST = "-"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=_NO_REQUEST
)

# Attributes every LogRecord has: anything else was passed with `extra=` and goes into the JSON.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


def clean_request_id(value: str | None) -> str:
    """`value` when it is a valid request id, else a new random one."""
    if value and _VALID_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _forget_request_id(**kwargs) -> None:
    request_id_var.set(_NO_REQUEST)


class RequestIdMiddleware:
    """The id stays set after the middleware returns, until Django's `request_finished`: Django
    logs 4xx and 5xx answers ("Not Found: /x") after the whole middleware chain."""

    def __init__(self, get_response):
        from django.core.signals import request_finished

        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="core.logs.request_id")

    def __call__(self, request):
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    `exc_info` as text when there is one, and whatever was passed with `extra=`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        return json.dumps(entry, default=str, ensure_ascii=False)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, log_format: str = "plain", level: str = "WARNING") -> dict:
    """Django's LOGGING: everything to stderr through one handler, as text or JSON lines.
    The scheduled jobs' one line of what they did (logger `portal.jobs`, core/jobs.py) is INFO
    and passes at any `level`: a record that propagates is not held back by the root's level."""
    log_format = (log_format or "plain").strip().lower()
    if log_format not in {"plain", "json"}:
        raise ValueError(f"LOG_FORMAT must be 'plain' or 'json', not {log_format!r}")
    formatter = {"()": JsonFormatter} if log_format == "json" else {"format": PLAIN_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"portal": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "portal",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"portal.jobs": {"level": "INFO"}},
    }


def init_sentry(*, dsn: str, environment: str = "", release: str = "") -> bool:
    """Start error reporting to Sentry (unhandled exceptions in views and commands, with
    Django's integration) when `dsn` is set; True when it was started. No personal data:
    no cookies, user ids, IP addresses or request bodies are sent (`send_default_pii=False`)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=0,
    )
    return True
