from django.urls import path

from . import views

app_name = "payments_stripe"

urlpatterns = [
    path("zahlung/webhook/stripe/", views.stripe_webhook, name="webhook"),
]
