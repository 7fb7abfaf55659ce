from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    # The order page is also every provider's return URL.
    path("bestellung/<uuid:reference>/", views.order_status, name="order"),
    path("bestellung/<uuid:reference>/bezahlen/", views.pay, name="pay"),
]
