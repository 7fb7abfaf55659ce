"""The mail with the link to a buyer's data, in the language they asked in."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pages.mails import city_title, sender


def send_access_link(email: str, link: str, site) -> None:
    """In the name of the city whose site it was asked at (`site`, a Wagtail Site or None)."""
    name = city_title(site)
    context = {"link": link, "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS, "site_name": name}
    send_mail(
        _("Your data at %(site)s") % {"site": name},
        render_to_string("privacy/emails/access_link.txt", context),
        sender(site),
        [email],
    )
