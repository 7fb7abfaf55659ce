"""The mail of registration and erasure: to the merchant, and to the reviewers of the city it
concerns, in that city's name and with links to its own address."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.cities import acts_for
from core.urls import absolute_url
from pages.mails import sender

from .rights import REVIEWERS_GROUP, review_task


def reviewers_of(site) -> list[str]:
    """The addresses of those who review the city's registrations and changes: the review
    task's groups (Wagtail's Moderators and the cities' own), those of them who act for the
    city; never another city's moderators."""
    task = review_task()
    groups = task.groups.all() if task else Group.objects.filter(name=REVIEWERS_GROUP)
    users = get_user_model().objects.filter(groups__in=groups, is_active=True)
    return sorted({user.email for user in users.exclude(email="") if acts_for(user, site)})


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
