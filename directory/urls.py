"""The directory's public pages outside the page tree: the embeddable map, the open data page
and merchant registration. Included by portal/urls.py at the site's root; admin views come through
wagtail_hooks.py, the JSON feed through directory/api.py."""

from django.urls import path

from core import converters  # noqa: F401 - registers <id:...> (ids of at most 18 digits)

from . import views

app_name = "directory"

urlpatterns = [
    path("embed/map/", views.embed_map, name="embed-map"),
    path("offene-daten/", views.open_data_page, name="open-data"),
    path("open-data/", views.open_data_page, name="open-data-en"),
    path("registrieren/", views.register, name="register"),
    path("register/", views.register, name="register-en"),
    path("registrieren/gesendet/", views.registration_sent, name="registration-sent"),
    path(
        "registrieren/bestaetigen/<str:token>/",
        views.verify_registration,
        name="registration-verify",
    ),
    path("registrieren/eintrag/<id:page_id>/", views.claim, name="registration-claim"),
]
