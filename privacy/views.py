"""A buyer's data rights, by e-mail: ask for a link, follow it, download or delete."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from core.ratelimit import over_limit
from core.urls import absolute_url

from . import selectors, services
from .forms import AccessRequestForm, EraseForm


def _private(response: HttpResponse) -> HttpResponse:
    # About a person: kept out of shared caches and search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def access_request(request: HttpRequest) -> HttpResponse:
    """The public form. Every valid address gets the same answer, known or not."""
    form = AccessRequestForm(request.POST or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST":
        if over_limit(request, "privacy-request", settings.PRIVACY_REQUEST_RATE_LIMIT):
            context["rate_limited"] = True
            status = 429
        elif form.is_valid():
            site = Site.find_for_request(request)
            services.access_request(
                email=form.cleaned_data["email"],
                link_for=lambda token: absolute_url(
                    reverse("privacy:access", args=[token]), site=site
                ),
                site=site,
            )
            context["sent"] = True
            context["form"] = AccessRequestForm()
        else:
            status = 400
    return _private(render(request, "privacy/request.html", context, status=status))


def _email_or_refusal(request: HttpRequest, token: str):
    try:
        return services.email_from_token(token), None
    except services.InvalidLink:
        response = render(request, "privacy/invalid_link.html", status=400)
        return None, _private(response)


@require_http_methods(["GET", "HEAD", "POST"])
def access(request: HttpRequest, token: str) -> HttpResponse:
    """What the link opens: a summary, the download, and deletion (confirmed by a checkbox)."""
    email, refusal = _email_or_refusal(request, token)
    if refusal:
        return refusal
    form = EraseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        services.buyer_erase(email=email)
        return redirect("privacy:erased")
    context = {
        "email": email,
        "token": token,
        "form": form,
        "orders": selectors.buyer_orders(email).count(),
        "max_age_hours": settings.PRIVACY_LINK_MAX_AGE_HOURS,
    }
    status = 400 if form.errors else 200
    return _private(render(request, "privacy/access.html", context, status=status))


@require_http_methods(["GET", "HEAD"])
def export(request: HttpRequest, token: str) -> HttpResponse:
    email, refusal = _email_or_refusal(request, token)
    if refusal:
        return refusal
    response = HttpResponse(
        json.dumps(selectors.buyer_export(email), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return _private(response)


def erased(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "privacy/erased.html"))
