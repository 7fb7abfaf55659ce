"""The embeddable map: only the map, for iframes on partner sites."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from wagtail.models import Site

from .filters import FilterError, parse_filters
from .map import map_context


@xframe_options_exempt  # framing is governed by the CSP frame-ancestors header below
def embed_map(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    try:
        parse_filters(request.GET)
    except FilterError as error:
        return render(request, "directory/embed_map.html", {"filter_error": error}, status=400)
    context = map_context(request, site)
    context["feed_query"] = request.GET.urlencode()
    context["link_target"] = "_top"  # open merchant pages in the partner's window, not the frame
    response = render(request, "directory/embed_map.html", context)
    ancestors = " ".join(["'self'", *settings.EMBED_ALLOWED_ORIGINS])
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


def embed_snippet(request, initiative_slug: str) -> str:
    """The iframe code a partner copies into their site."""
    url = request.build_absolute_uri(reverse("embed-map")) + f"?initiative={initiative_slug}"
    return (
        f'<iframe src="{url}" title="Karte" width="100%" height="480" '
        'style="border:0" loading="lazy"></iframe>'
    )
