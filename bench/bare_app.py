"""The portal's WSGI application plus one bare Django view, for bench/scale.py's baselines.

    gunicorn bench.bare_app:application

Everything the portal answers is unchanged. `/bench-bare/<bytes>/` goes through the same
settings, middleware and URL resolver as every page, to a view that does nothing but return an
HTML response of that many bytes: the most a page of that size could be served at by Django in
this server. Benchmarks only; no product code imports this module.
"""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()  # django.setup(): the settings and apps are loaded

from django.http import HttpResponse  # noqa: E402 - after django.setup()
from django.urls import path  # noqa: E402

import portal.urls  # noqa: E402

PREFIX = "<!doctype html><html lang=de><title>bare</title><body>"


def bare(request, size: int):
    return HttpResponse((PREFIX + "x" * max(0, size - len(PREFIX))).encode())


# First, before Wagtail's catch-all; the resolver reads the list at the first request.
portal.urls.urlpatterns.insert(0, path("bench-bare/<int:size>/", bare, name="bench-bare"))
