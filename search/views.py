from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from directory.filters import OFFER_LABELS, FilterError
from directory.models import Category, District, Initiative

from . import backends, params, query


def search(request):
    """The search page: works without JavaScript; suggestions come from the JSON endpoint."""
    site = Site.find_for_request(request)
    context = {
        "query": request.GET.get("q", "")[: query.MAX_QUERY_LENGTH],
        "categories": Category.objects.all(),
        "districts": District.objects.all(),
        "initiatives": Initiative.objects.all(),
        "offer_choices": list(OFFER_LABELS.items()),
    }
    status = 200
    try:
        search_request = params.read(request.GET)
    except FilterError as error:
        context["error"] = error
        status = 400
    else:
        context.update(filters=search_request.filters, near=search_request.near)
        if search_request.query and site:
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
    return render(request, "search/search.html", context, status=status)
