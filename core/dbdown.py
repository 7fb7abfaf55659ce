"""A database that cannot be reached is a 503, answered at once: a plain page (or the API's JSON
error shape under /api/), rendered without context processors and without the database, with a
Retry-After for proxies and crawlers. How long "at once" is comes from the connect and statement
timeouts in DATABASES (DATABASE_CONNECT_TIMEOUT, DATABASE_STATEMENT_TIMEOUT_MS)."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Last in MIDDLEWARE, so that its process_exception is asked first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        # What runs after the view (the Content-Security-Policy's tile host, say) asks Wagtail
        # for the request's site: "none" is the answer, cached where Wagtail looks for it,
        # rather than another query that waits for the connect timeout and fails again.
        request._wagtail_site = None
        detail = _("The database is not answering right now. Please try again in a few minutes.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"error": "database_unavailable", "detail": detail}, status=503
            )
        else:
            # A dict and the request only: no context processors (they may query).
            page = loader.get_template("503.html").render({"request": request})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
