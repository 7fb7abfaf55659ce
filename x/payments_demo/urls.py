from django.urls import path

from . import views

app_name = "payments_demo"

urlpatterns = [
    path("zahlung/demo/<str:reference>/", views.demo_payment, name="payment"),
]
