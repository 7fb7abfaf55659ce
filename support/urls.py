from django.urls import path

from . import views, voucher_views, webhooks

app_name = "support"

urlpatterns = [
    # Checkout: /unterstuetzen/<merchant page id>/gutschein|spende|kampagne/
    path("unterstuetzen/<int:page_id>/<str:kind>/", views.checkout, name="checkout"),
    path("bestellung/<uuid:reference>/", views.order_status, name="order"),
    path("bestellung/<uuid:reference>/bezahlen/", views.pay, name="pay"),
    path("zahlung/demo/<str:reference>/", views.demo_payment, name="demo_payment"),
    path("zahlung/webhook/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("gutschein/guthaben/", voucher_views.voucher_balance, name="voucher_balance"),
]
