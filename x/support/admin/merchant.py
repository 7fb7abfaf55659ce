from django.http import Http404, HttpRequest


def own_page(request: HttpRequest):
    """The merchant page of the logged-in merchant; everyone else gets a 404, as in directory."""
    account = getattr(request.user, "merchant_account", None)
    if account is None:
        raise Http404
    return account.page
