from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import buyer_data  # noqa: F401 - registers support's part of buyers' data rights
from .admin import income, income_csv, orders, redeem
from .admin.walls import WallViewSet


@hooks.register("register_admin_urls")
def register_support_urls():
    return [
        path("support/redeem/", redeem.redeem, name="support_redeem"),
        path("support/income/", income.income, name="support_income"),
        path("support/income/csv/", income_csv.own_income_csv, name="support_income_csv"),
        path(
            "support/income/<int:page_id>/csv/",
            income_csv.merchant_income_csv,
            name="support_merchant_income_csv",
        ),
        path("support/income/wall/<int:pk>/", income.moderate_wall, name="support_wall"),
        path("support/orders/<int:pk>/reissue/", orders.reissue, name="support_reissue"),
    ]


class MerchantOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return hasattr(request.user, "merchant_account")


@hooks.register("register_admin_menu_item")
def register_redeem_menu_item():
    return MerchantOnlyMenuItem(
        _("Redeem a voucher"), reverse("support_redeem"), icon_name="tick-inverse", order=20
    )


@hooks.register("register_admin_menu_item")
def register_income_menu_item():
    return MerchantOnlyMenuItem(_("Income"), reverse("support_income"), icon_name="table", order=21)


@hooks.register("construct_homepage_panels")
def add_support_panel(request, panels):
    account = getattr(request.user, "merchant_account", None)
    if account is not None:
        panels.append(income.SupportPanel(account.page))


hooks.register("payments_order_panels", orders.order_panel)


@hooks.register("register_admin_viewset")
def register_wall_viewset():
    """Editors' and moderators' supporter walls (support/admin/walls.py)."""
    return WallViewSet()


@hooks.register("merchant_data_export")
def export_offers(account):
    """The merchant's offers, for the download of their data."""
    page = account.page.specific
    return {
        "offers": {
            "vouchers": [
                {
                    "fixed_values_cents": offer.fixed_values,
                    "free_value_min_cents": offer.free_value_min,
                    "free_value_max_cents": offer.free_value_max,
                    "validity_years": offer.validity_years,
                    "stock": offer.stock,
                    "bonus_percent": offer.bonus_percent,
                }
                for offer in page.voucher_offers.all()
            ],
            "donations": [
                {"name": preset.name, "amount_cents": preset.amount}
                for preset in page.donation_presets.all()
            ],
            "campaigns": [
                {"title": c.title, "goal_cents": c.goal, "deadline": c.deadline.isoformat()}
                for c in page.campaigns.all()
            ],
        },
    }
