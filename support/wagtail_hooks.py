from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import SupportPanel, SupportViewSetGroup, admin_urls


@hooks.register("register_admin_viewset")
def register_support_viewsets():
    return SupportViewSetGroup()


@hooks.register("register_admin_urls")
def register_support_urls():
    return admin_urls


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
        panels.append(SupportPanel(account.page))
