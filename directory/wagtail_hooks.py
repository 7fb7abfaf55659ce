from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import MerchantPanel, MerchantsViewSetGroup, admin_urls
from .models import Category, District, Initiative


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["name", "city", "slug"]
    list_filter = ["city"]
    search_fields = ["name", "city"]


class InitiativeViewSet(SnippetViewSet):
    model = Initiative
    icon = "group"
    list_display = ["name", "hashtag", "link"]
    search_fields = ["name", "hashtag"]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (CategoryViewSet, DistrictViewSet, InitiativeViewSet)


register_snippet(DirectoryViewSetGroup)


@hooks.register("register_admin_viewset")
def register_merchant_viewsets():
    return MerchantsViewSetGroup()


@hooks.register("register_admin_urls")
def register_merchant_urls():
    return admin_urls


class MerchantOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return hasattr(request.user, "merchant_account")


@hooks.register("register_admin_menu_item")
def register_your_data_menu_item():
    return MerchantOnlyMenuItem(
        _("Your data"), reverse("directory_your_data"), icon_name="download", order=900
    )


@hooks.register("construct_homepage_panels")
def add_merchant_panel(request, panels):
    account = getattr(request.user, "merchant_account", None)
    if account is not None:
        panels.insert(0, MerchantPanel(account))
