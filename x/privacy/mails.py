"""The mail with the link to a buyer's data, in the language they asked in."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def send_access_link(email: str, link: str) -> None:
    context = {
        "link": link,
        "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    send_mail(
        _("Your data at %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
        render_to_string("privacy/emails/access_link.txt", context),
        None,
        [email],
    )
