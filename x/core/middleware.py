"""Bad input answered with 400 before any view sees it.

A NUL byte in a query string or a form (`%00`) reaches PostgreSQL as a string it refuses
("A string literal cannot contain NUL"), a 500 in every search box and filter that passes it
on: Wagtail's API v2 `?search=`, the admin's searches and choosers, our own endpoints. No
honest request carries one, so this answers 400 for all of them: JSON `{"error", "detail"}`
under /api/, Django's 400 page elsewhere.
"""

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            detail = _("The request contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "bad_request", "detail": detail}, status=400)
            raise BadRequest(detail)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or _has_nul(request.GET):
            return True
        return request.content_type in FORM_TYPES and _has_nul(request.POST)
