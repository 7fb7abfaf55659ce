"""The language switch in every page's footer, without a CSRF token.

Django's own set_language view (a POST with `language` and `next`; `next` is followed only
when url_has_allowed_host_and_scheme allows it, else the Referer, else "/") needs a CSRF token,
and a token in the footer form made every page set a `csrftoken` cookie, so that no shared
cache could hold any page. Exempting this one view is safe: all a forged cross-site POST can
do is choose the display language of the visitor's next page (a cookie the visitor can set
back with the same form); it changes no data, reads nothing and logs nobody in or out.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

set_language = csrf_exempt(django_set_language)
