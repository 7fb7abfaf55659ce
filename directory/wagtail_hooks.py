from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pages.hooks import HOME_PAGE_CONTEXT

from . import boundary
from .admin_views import MerchantPanel, MerchantsViewSetGroup, admin_urls
from .models import Category, DirectoryPage, District, Initiative, MerchantPage


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


@hooks.register("construct_page_chooser_queryset")
def merchants_choose_their_own_page_and_public_ones(pages, request):
    account = boundary.merchant_account(request.user)
    return pages if account is None else boundary.choosable_pages(account, pages)


@hooks.register("construct_reports_menu")
def hide_refused_reports_from_merchants(request, menu_items):
    if boundary.merchant_account(request.user) is None:
        return
    menu_items[:] = [item for item in menu_items if not _refused_to_merchants(item.url)]


def _refused_to_merchants(url: str) -> bool:
    try:
        return boundary.is_refused_view(resolve(url))
    except Resolver404:
        return False


@hooks.register(HOME_PAGE_CONTEXT)
def add_the_directory_to_the_home_page(page, request, context):
    """The city's directory, its featured merchants and how many there are."""
    context["featured"] = [
        item.merchant
        for item in page.featured_merchants.select_related(
            "merchant__category", "merchant__district", "merchant__hero_image"
        )
        if item.merchant.live
    ]
    context["directory"] = DirectoryPage.objects.live().child_of(page).first()
    context["merchant_count"] = MerchantPage.objects.live().public().descendant_of(page).count()
