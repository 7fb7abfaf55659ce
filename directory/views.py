"""Public views of the directory: the embeddable map (only the map, for iframes on partner
sites) and merchant registration, claims and e-mail verification."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from wagtail.models import Site

from core.ratelimit import over_limit
from core.urls import absolute_url
from pages.models import CitySettings

from . import accounts, embed, open_data
from .filters import FilterError, parse_filters
from .forms import ClaimForm, RegistrationForm
from .map import map_context
from .models import MerchantAccount, MerchantPage


@xframe_options_exempt  # framing is governed by the CSP frame-ancestors header below
def embed_map(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    try:
        filters = parse_filters(request.GET)
    except FilterError as error:
        return render(request, "directory/embed_map.html", {"filter_error": error}, status=400)
    context = map_context(request, site)
    context["feed_query"] = request.GET.urlencode()
    context["link_target"] = "_top"  # open merchant pages in the partner's window, not the frame
    if filters != parse_filters({}):
        # A filtered embed (a partner's initiative) opens on its own merchants, not the city.
        context["map_extent"] = embed.extent(site, filters, timezone.localtime())
        context["embed_initiative"] = embed.the_initiative(filters)
    response = render(request, "directory/embed_map.html", context)
    ancestors = " ".join(["'self'", *settings.EMBED_ALLOWED_ORIGINS])
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    return response


def embed_snippets(request, initiative) -> list[tuple[Site, str]]:
    """The iframe code a partner copies into their site, per city the initiative is on."""
    sites = embed.sites_of(initiative, Site.find_for_request(request))
    return [(site, embed.snippet(site, initiative)) for site in sites]


def open_data_page(request):
    """What the open data export holds, under which licence, and the links to it."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    licence, licence_url = open_data.city_licence(site)
    context = {
        "licence": licence,
        "licence_url": licence_url,
        "attribution": open_data.attribution(site, (licence, licence_url)),
        "columns": open_data.CSV_COLUMNS,
    }
    return render(request, "directory/open_data.html", context)


# --- registration and claims --------------------------------------------------------------


def _city(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site, CitySettings.for_site(site)


def _rate_limited(request) -> bool:
    return over_limit(request, "registration", settings.REGISTRATION_RATE_LIMIT)


def _submit(request, form, site, template, context, claimed_page=None):
    if _rate_limited(request):
        context["rate_limited"] = True
        return render(request, template, context, status=429)
    if not form.is_valid():
        return render(request, template, context, status=400)
    registration = form.save(site, claimed_page=claimed_page)
    link = absolute_url(
        reverse("directory:registration-verify", args=[accounts.verification_token(registration)]),
        site=site,
    )
    accounts.send_verification(registration, link)
    return redirect(reverse("directory:registration-sent"))


def register(request):
    site, city = _city(request)
    form = RegistrationForm(request.POST or None, site=site, city_name=city.city_name)
    context = {"form": form, "city": city}
    if request.method == "POST":
        return _submit(request, form, site, "directory/registration/register.html", context)
    return render(request, "directory/registration/register.html", context)


def claim(request, page_id: int):
    site, city = _city(request)
    page = get_object_or_404(
        MerchantPage.objects.live().public().descendant_of(site.root_page), pk=page_id
    )
    context = {"page": page, "city": city}
    if MerchantAccount.objects.filter(page=page).exists():
        return render(request, "directory/registration/claim.html", context, status=409)
    form = context["form"] = ClaimForm(request.POST or None)
    if request.method == "POST":
        return _submit(
            request, form, site, "directory/registration/claim.html", context, claimed_page=page
        )
    return render(request, "directory/registration/claim.html", context)


def registration_sent(request):
    return render(request, "directory/registration/sent.html")


def verify_registration(request, token: str):
    try:
        registration, confirmed_now = accounts.verify(token)
    except accounts.VerificationError as error:
        context = {"error": error, "expired": error.expired}
        return render(request, "directory/registration/verified.html", context, status=400)
    context = {"registration": registration, "confirmed_now": confirmed_now}
    return render(request, "directory/registration/verified.html", context)
