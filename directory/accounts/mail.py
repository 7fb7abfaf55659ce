"""The mail of registration and erasure: to the merchant, and to the reviewers of the city it
concerns, in that city's name and with links to its own address."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from core.cities import acts_for
from core.urls import absolute_url
from pages.mails import sender

from ..cities import GROUP_TEMPLATES
from .rights import REVIEWERS_GROUP


def reviewers_of(site) -> list[str]:
    """The addresses of those who review the city's registrations: Wagtail's Moderators (every
    city) and the city's own moderators, never another city's."""
    moderators = Q(groups__name=REVIEWERS_GROUP) | Q(
        groups__name__endswith=f": {GROUP_TEMPLATES[REVIEWERS_GROUP]}"
    )
    users = get_user_model().objects.filter(moderators, is_active=True).exclude(email="")
    return sorted({user.email for user in users.distinct() if acts_for(user, site)})


def notify_reviewers(site, subject: str, template: str, context: dict) -> None:
    recipients = reviewers_of(site)
    if recipients:
        context = {**context, "admin_url": admin_url(site)}
        send_mail(subject, render_to_string(template, context), sender(site), recipients)


def mail(to: str, subject: str, template: str, context: dict, *, site) -> None:
    send_mail(subject, render_to_string(template, context), sender(site), [to])


def admin_url(site=None) -> str:
    return absolute_url(reverse("wagtailadmin_home"), site=site)


def hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)
