"""What Wagtail's admin shows a merchant beyond their own page.

Wagtail opens several admin views to anyone who holds some page permission. A merchant holds
`change` on their own page alone, yet these views would show them others' data:

- the page chooser (browse, search and the "chosen" answer) lists every page, drafts
  included: merchants are offered their own page and the pages the public can see;
- Wagtail's reports: the workflow reports' "requested by" filter lists every requester's
  e-mail address, the page types report names each type's last edited page: refused.

The chooser's list is narrowed by the `construct_page_chooser_queryset` hook (wagtail_hooks.py);
the rest by the middleware below, which refuses on the server whatever the menu hides.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from wagtail.models import Page

REFUSED_NAMESPACES = frozenset({"wagtailadmin_reports"})


def merchant_account(user):
    """The user's merchant account, or None for editors, moderators and visitors."""
    return getattr(user, "merchant_account", None)


def choosable_pages(account, pages=None):
    """The merchant's own page and every page the public can see, nothing else."""
    pages = Page.objects.all() if pages is None else pages
    public = Page.objects.live().public().values("pk")
    return pages.filter(Q(pk=account.page_id) | Q(pk__in=public))


def is_refused_view(resolver_match) -> bool:
    return bool(REFUSED_NAMESPACES.intersection(resolver_match.namespaces))


class MerchantAdminBoundary:
    """Middleware: merchants get none of Wagtail's reports, and the page chooser answers them
    only about pages they may choose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        if is_refused_view(match):
            asked = None
        elif match.url_name == "wagtailadmin_choose_page_child":
            asked = {view_kwargs["parent_page_id"]}
        elif match.url_name == "wagtailadmin_choose_page_chosen_multiple":
            asked = {int(pk) for pk in request.GET.getlist("id") if pk.isdigit()}
        else:
            return None  # most requests: no need to look the user up
        account = merchant_account(request.user) if request.user.is_authenticated else None
        if account is None:
            return None
        if asked is None:
            raise PermissionDenied
        if choosable_pages(account).filter(pk__in=asked).count() != len(asked):
            raise Http404
        return None
