"""The search page, in German and English. Included by portal/urls.py at the site's root; the
JSON search comes through search/api.py."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search, name="search"),
    path("search/", views.search, name="search-en"),
]
