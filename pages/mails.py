"""Whose name a mail goes out under: the city's portal, as its pages name it in the header (the
home page's title), over the installation's one sending address (DEFAULT_FROM_EMAIL), so that a
buyer in Bochum reads "Bochum hilft", not another city's name."""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings

from .models import CitySettings


def city_title(site) -> str:
    """The name of the city's portal: its home page's title, else the city's name."""
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    root = site.root_page
    return (root.title if root else "") or CitySettings.for_site(site).city_name


def sender(site) -> str:
    """The From header for a mail of `site`'s portal (None: the installation's own)."""
    if site is None:
        return settings.DEFAULT_FROM_EMAIL
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return str(Address(display_name=city_title(site), addr_spec=address))  # quoted as needed
