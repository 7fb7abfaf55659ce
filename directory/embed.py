"""The embeddable map for partner sites: which part of the city it shows (the box around the
merchants its filters select), what its heading says, and the iframe code a partner copies from
an initiative in the admin."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Site

from core.urls import absolute_url

from .filters import MerchantFilters, merchants_in
from .models import Initiative, MerchantPage


@dataclass(frozen=True)
class Extent:
    count: int  # the merchants the embedded map shows (as its feed counts them)
    bounds: tuple[float, float, float, float] | None  # west, south, east, north; None: none

    @property
    def bounds_attribute(self) -> str:
        """For data-bounds: "west,south,east,north", as the feed's bbox parameter."""
        return ",".join(f"{value:.6f}" for value in self.bounds) if self.bounds else ""


def extent(site: Site, filters: MerchantFilters, now: datetime) -> Extent:
    """How many merchants the filters select on `site`'s map and the box around them, in one
    query over the same merchants the feed sends."""
    found = merchants_in(site.root_page, filters, now).aggregate(
        count=Count("pk"),
        west=Min("longitude"),
        south=Min("latitude"),
        east=Max("longitude"),
        north=Max("latitude"),
    )
    if not found["count"]:
        return Extent(0, None)
    bounds = tuple(float(found[side]) for side in ("west", "south", "east", "north"))
    return Extent(found["count"], bounds)


def the_initiative(filters: MerchantFilters) -> Initiative | None:
    """The initiative an embed is for: one, and only one, named in its filters."""
    if len(filters.initiative) != 1:
        return None
    return Initiative.objects.filter(slug=filters.initiative[0]).first()


def sites_of(initiative: Initiative, fallback: Site | None) -> list[Site]:
    """The cities in which `initiative` has merchants on the map (each gets its own code: the
    embed shows one city's map); none yet: the city the editor works on."""
    found = [
        site
        for site in Site.objects.select_related("root_page").order_by("-is_default_site", "pk")
        if MerchantPage.objects.live()
        .public()
        .descendant_of(site.root_page)
        .filter(initiatives=initiative)
        .exists()
    ]
    if found:
        return found
    fallback = fallback or Site.objects.filter(is_default_site=True).first()
    return [fallback] if fallback else []


def snippet(site: Site, initiative: Initiative) -> str:
    """The iframe code for `initiative`'s map on `site`."""
    url = absolute_url(reverse("directory:embed-map"), site=site) + f"?initiative={initiative.slug}"
    title = _("Map: %(name)s") % {"name": initiative.name}
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="480" '
        'style="border:0" loading="lazy"></iframe>'
    )
