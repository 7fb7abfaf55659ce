"""The 500 page, rendered as Django's own server_error view does (no context processors, no
database: they may be what failed), but with the request, so that the page's inline style is
allowed by the Content-Security-Policy (its hash, through {% inline_style %})."""

from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request}))
