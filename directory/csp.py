"""The city's own map tiles (CitySettings.tile_url) in the Content-Security-Policy."""

from wagtail.models import Site

from core.csp import origin
from pages.models import CitySettings


def tile_sources(request) -> dict[str, list[str]]:
    if Site.find_for_request(request) is None:
        return {}
    tile_url, _attribution = CitySettings.for_request(request).tiles
    return {"img-src": origin(tile_url.replace("{s}", "*"))}
