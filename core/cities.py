"""Which cities a user acts for in the admin: the sites whose whole tree their groups' page
permissions cover. Wagtail's global Editors and Moderators hold them on the root (every city); a
city's own groups (made by create_city) on its home page; a merchant's group only on their own
page, which is no city's tree. Superusers act for every city."""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, Site


def _granted_pages(user) -> list[Page]:
    if not user.is_active:
        return []
    return list(
        Page.objects.filter(
            pk__in=GroupPagePermission.objects.filter(group__user=user).values("page_id")
        ).only("path")
    )


def sites_for_user(user):
    """The sites (a queryset) whose root page is one of the user's granted pages or below one."""
    if not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    pages = _granted_pages(user)
    if not pages:
        return Site.objects.none()
    covered = Q()
    for page in pages:
        covered |= Q(root_page__path__startswith=page.path)
    return Site.objects.filter(covered)


def acts_for(user, site) -> bool:
    return sites_for_user(user).filter(pk=site.pk).exists()


def in_cities_of(user, path_field: str = "path") -> Q:
    """A filter for pages (or rows pointing at pages: "page__path") in the user's cities' trees."""
    covered = Q(pk__in=[])
    for root_path in sites_for_user(user).values_list("root_page__path", flat=True):
        covered |= Q(**{f"{path_field}__startswith": root_path})
    return covered
