from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.cities import sites_for_user
from pages.hooks import HOME_PAGE_CONTEXT

from . import accounts, admin_imports, boundary, listing
from .admin_forms import DistrictForm
from .admin_views import MerchantPanel, MerchantsViewSetGroup, admin_urls
from .models import Category, DirectoryPage, District, Initiative


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class CityScoped:
    """An edit or delete view that finds only objects of the user's cities (404 otherwise)."""

    def get_queryset(self):
        return super().get_queryset().filter(site__in=sites_for_user(self.request.user))


class DistrictViewSet(SnippetViewSet):
    """Each city's editors see and change their own city's districts only."""

    model = District
    icon = "site"
    list_display = ["name", "site", "slug"]
    list_filter = ["site"]
    search_fields = ["name"]
    edit_view_class = type("DistrictEditView", (CityScoped, snippet_views.EditView), {})
    delete_view_class = type("DistrictDeleteView", (CityScoped, snippet_views.DeleteView), {})
    edit_handler = ObjectList(District.panels, base_form_class=DistrictForm)

    def get_queryset(self, request):
        return District.objects.filter(site__in=sites_for_user(request.user)).select_related("site")


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
    return admin_urls + admin_imports.admin_urls


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, shown_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_for = shown_for

    def is_shown(self, request):
        return self.shown_for(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import merchants"),
        reverse("directory_import"),
        icon_name="upload",
        order=210,
        shown_for=lambda user: user.has_perm(admin_imports.IMPORT_PERMISSION),
    )


@hooks.register("register_settings_menu_item")
def register_create_city_menu_item():
    return PermissionMenuItem(
        _("New city"),
        reverse("directory_create_city"),
        icon_name="site",
        order=50,
        shown_for=lambda user: user.is_superuser,
    )


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
    context["merchant_count"] = listing.merchant_count(page)  # cached until the map changes


# --- the admin as the city's portal (templates/wagtailadmin/ name it; see portal_admin) -----

# Wagtail's own help: its English guide and release notes. The keyboard shortcuts stay.
WAGTAIL_HELP_ITEMS = {"editor-guide"}
# What a merchant has no use for in the main menu.
HIDDEN_FROM_MERCHANTS = {"documents", "reports", "help"}


@hooks.register("insert_global_admin_css")
def portal_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/portal-admin.css"))


@hooks.register("construct_help_menu")
def remove_wagtails_guide(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_HELP_ITEMS and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("construct_main_menu")
def hide_what_merchants_cannot_use(request, menu_items):
    if boundary.merchant_account(request.user) is not None:
        menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_FROM_MERCHANTS]


# --- onboarding: the merchant's own page in the editor --------------------------------------


@hooks.register("before_edit_page")
def ask_merchants_to_set_their_marker(request, page):
    account = boundary.merchant_account(request.user)
    if request.method != "GET" or account is None or account.page_id != page.pk:
        return None
    if accounts.position_is_approximate(page.specific.get_latest_revision_as_object()):
        messages.warning(
            request,
            gettext(
                "Please set your location on the map: drag the marker in the Address section "
                "to your entrance, then save."
            ),
        )
    return None


@hooks.register("after_edit_page")
def merchants_stay_on_their_page(request, page):
    """Wagtail sends whoever submits for review to the page list, which shows a merchant
    nothing: back to their page's editor, where the message says what happens next."""
    account = boundary.merchant_account(request.user)
    if account is None or account.page_id != page.pk:
        return None
    if "action-submit" in request.POST or "action-restart-workflow" in request.POST:
        messages.info(
            request,
            gettext(
                "The editors have been told and will check your page. You can keep editing "
                "meanwhile: they always see your latest version."
            ),
        )
    return redirect("wagtailadmin_pages:edit", page.pk)
