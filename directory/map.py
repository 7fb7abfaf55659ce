"""What every map on the site needs to know: feed URLs, tiles and the starting view."""

from django.urls import reverse
from wagtail.models import Site

from pages.models import CitySettings


def map_context(request, site: Site | None) -> dict:
    settings = CitySettings.for_site(site) if site else CitySettings()
    tile_url, attribution = settings.tiles
    return {
        "map_settings": settings,
        "map_tile_url": tile_url,
        "map_tile_attribution": attribution,
        "map_feed_url": reverse("portal_api:map_merchants"),
        # The compact feed the map draws from, and names and links by id (directory/api.py).
        "map_points_url": reverse("portal_api:map-points"),
        "map_labels_url": reverse("portal_api:map-labels"),
        # The script swaps the 0 for the merchant's id.
        "map_detail_url": reverse("portal_api:map_merchant_detail", args=[0]),
    }
