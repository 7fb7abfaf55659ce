from django.urls import path

from core import converters  # noqa: F401 - registers <id:...> (ids of at most 18 digits)

from . import views, voucher_views

app_name = "support"

urlpatterns = [
    # Checkout: /unterstuetzen/<merchant page id>/gutschein|spende|kampagne/
    path("unterstuetzen/<id:page_id>/<str:kind>/", views.checkout, name="checkout"),
    path("gutschein/guthaben/", voucher_views.voucher_balance, name="voucher_balance"),
]
