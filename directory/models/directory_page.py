"""A city's merchant directory page: the map and the list of its merchants."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .merchants import MerchantPage


class DirectoryPage(Page):
    """A city's merchant directory: the list of its merchants (the map joins it later)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["directory.MerchantPage"]
    max_count_per_parent = 1
    template = "directory/directory_page.html"

    class Meta:
        verbose_name = _("merchant directory")

    PAGE_SIZE = 24

    def merchants(self):
        return MerchantPage.objects.live().public().child_of(self)

    def get_context(self, request, *args, **kwargs):
        # The list is the map's accessible alternative: same filters, same results, no JS.
        from ..filters import (
            FilterError,
            MerchantFilters,
            by_distance,
            distance_m,
            merchants_in,
            parse_filters,
            parse_near,
        )
        from ..listing import facets, paginate
        from ..map import map_context

        context = super().get_context(request, *args, **kwargs)
        now = timezone.localtime()
        try:
            filters, near, filter_error = parse_filters(request.GET), parse_near(request.GET), None
        except FilterError as error:
            filters, near, filter_error = MerchantFilters(), None, error
        merchants = merchants_in(self, filters, now).select_related(
            "category", "district", "hero_image"
        )
        # Nearest first when the visitor shared a position ("Near me"), else by name.
        merchants = by_distance(merchants, near) if near else merchants.order_by("title")
        page = paginate(self, merchants, filters, now, self.PAGE_SIZE, request.GET.get("page"))
        for merchant in page:
            merchant.distance = distance_m(merchant)
        found = facets(self)
        context.update(
            merchants=page,
            filters=filters,
            near=near,
            filter_error=filter_error,
            categories=found.categories,
            districts=found.districts,
            initiatives=found.initiatives,
            # Only offers that some merchant has: an empty filter would just frustrate.
            offer_choices=found.offer_choices,
            query_without_page=_query_without(request, "page"),
            query_without_area=_query_without(request, "page", "bbox"),
            bbox_param=",".join(str(v) for v in filters.bbox) if filters.bbox else "",
            **map_context(request, self.get_site()),
        )
        return context


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
