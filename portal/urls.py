from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import health
from core.language import set_language
from pages.views import FaviconView

from .api import api_router, portal_api

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # liveness, no database
    path("readyz", health.readyz, name="readyz"),  # readiness: database, cache, task queue
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/", portal_api.urls),
    path("", include("search.urls")),
    path("", include("directory.urls")),
    path("", include("support.urls")),
    path("", include("payments.urls")),
    path("", include("payments_demo.urls")),
    path("", include("payments_stripe.urls")),
    path("", include("privacy.urls")),
    path("i18n/setlang/", set_language, name="set_language"),  # no CSRF token: core/language.py
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every path not caught above: keep it last.
urlpatterns += [path("", include(wagtail_urls))]

handler500 = "core.errors.server_error"
