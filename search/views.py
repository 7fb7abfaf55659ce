from django.http import QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from core.folding import fold
from directory import offer_flags
from directory.filters import FilterError
from directory.models import Category, District, Initiative

from . import backends, params, query


def search(request):
    """The search page: works without JavaScript; suggestions come from the JSON endpoint."""
    site = Site.find_for_request(request)
    context = {
        "query": request.GET.get("q", "")[: query.MAX_QUERY_LENGTH],
        "categories": Category.objects.all(),
        "districts": District.objects.filter(site=site),
        "initiatives": Initiative.objects.all(),
        "offer_choices": [(flag.key, flag.label) for flag in offer_flags.all()],
    }
    status = 200
    try:
        search_request = params.read(request.GET)
    except FilterError as error:
        context["error"] = error
        status = 400
    else:
        context.update(filters=search_request.filters, near=search_request.near)
        # A query without a letter or digit ('"', "((", an emoji) is no query: the hint shows.
        if fold(search_request.query) and site:
            outcome = backends.current().search(
                site.root_page,
                search_request.query,
                search_request.filters,
                timezone.localtime(),
                near=search_request.near,
                page_number=request.GET.get("page"),
            )
            context["outcome"] = outcome
            paging = request.GET.copy()
            paging.pop("page", None)
            context["query_without_page"] = paging.urlencode()
            if outcome.corrected:
                corrected = paging.copy()
                corrected["q"] = outcome.corrected
                context["corrected_link"] = f"?{corrected.urlencode()}"
            context["facet_groups"] = [
                (_("Category"), facet_links(paging, "category", outcome.categories)),
                (_("District"), facet_links(paging, "district", outcome.districts)),
            ]
    return render(request, "search/search.html", context, status=status)


def facet_links(current: QueryDict, name: str, facets) -> list[tuple]:
    """(facet, link, chosen) per facet: the link keeps the query, "near me" and the other
    filters, and chooses this facet, or drops it when it is the chosen one."""
    chosen = set(current.getlist(name))
    links = []
    for facet in facets:
        params = current.copy()
        if facet.slug in chosen:
            params.setlist(name, [slug for slug in chosen if slug != facet.slug])
        else:
            params[name] = facet.slug
        links.append((facet, f"?{params.urlencode()}", facet.slug in chosen))
    return links
