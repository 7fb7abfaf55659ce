"""Site chrome that is not a page: /favicon.ico for browsers and tools that ask for it without
reading the page's <link rel="icon">."""

from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    # Not permanent: the static file's name carries a hash that changes with its content.
    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=86400)
        return response
