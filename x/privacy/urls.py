from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    # The footer links "Meine Daten" to privacy:request.
    path("meine-daten/", views.access_request, name="request"),
    path("meine-daten/geloescht/", views.erased, name="erased"),
    path("meine-daten/<str:token>/", views.access, name="access"),
    path("meine-daten/<str:token>/export/", views.export, name="export"),
]
