"""{% legal_pages as legal %}: the city's imprint, privacy policy and terms of use, for links
from the footer, the registration and the checkout (legal.imprint, legal.privacy, legal.terms;
a kind without a live page is missing and is not linked)."""

from django import template
from wagtail.models import Site

from ..legal import legal_pages as find_legal_pages
from ..models import LegalPage

register = template.Library()

CACHE_ATTRIBUTE = "_legal_pages"


@register.simple_tag(takes_context=True)
def legal_pages(context):
    request = context.get("request")
    if request is None:
        return {}
    if not hasattr(request, CACHE_ATTRIBUTE):  # the footer and the form ask in one request
        setattr(request, CACHE_ATTRIBUTE, find_legal_pages(Site.find_for_request(request)))
    return getattr(request, CACHE_ATTRIBUTE)


@register.simple_tag
def footer_pages(home):
    """The home page's live, public children for the footer, without the legal pages (the
    footer lists those on their own)."""
    if home is None:
        return []
    return home.get_children().live().public().not_type(LegalPage)


@register.simple_tag(takes_context=True)
def legal_url(context, kind):
    """{% legal_url "terms" as terms_url %}: the address of the city's legal page of this kind,
    or "" when it has none (then leave the link out)."""
    page = legal_pages(context).get(kind)
    return page.get_url(context.get("request")) if page is not None else ""
