"""Reading a search request's parameters, shared by the page and the JSON endpoint."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from directory.filters import FilterError, MerchantFilters, parse_filters

from .query import MAX_QUERY_LENGTH, Near


@dataclass
class SearchRequest:
    query: str
    filters: MerchantFilters
    near: Near | None


def read(params) -> SearchRequest:
    """Raises FilterError naming the bad parameter."""
    query = (params.get("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise FilterError(
            "q", _("At most %(count)d characters, please.") % {"count": MAX_QUERY_LENGTH}
        )
    filters = parse_filters({k: v for k, v in params.items() if k != "q"})
    return SearchRequest(query, filters, _near(params))


def _near(params) -> Near | None:
    lat, lng = params.get("lat"), params.get("lng")
    if not lat and not lng:
        return None
    try:
        near = Near(float(lat), float(lng))
    except (TypeError, ValueError) as error:
        raise FilterError("lat", _("Give lat and lng as numbers in degrees.")) from error
    if not (-90 <= near.latitude <= 90 and -180 <= near.longitude <= 180):
        raise FilterError("lat", _("lat must be within -90..90 and lng within -180..180."))
    return near
