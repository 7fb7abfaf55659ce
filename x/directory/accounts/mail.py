"""The mail of registration and erasure: to the merchant, and to the reviewers."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from core.urls import absolute_url

from .rights import REVIEWERS_GROUP


def notify_reviewers(subject: str, template: str, context: dict) -> None:
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        context = {**context, "admin_url": admin_url()}
        send_mail(subject, render_to_string(template, context), None, recipients)


def mail(to: str, subject: str, template: str, context: dict) -> None:
    send_mail(subject, render_to_string(template, context), None, [to])


def admin_url() -> str:
    return absolute_url(reverse("wagtailadmin_home"))


def hours(delta: timedelta) -> int:
    return int(delta.total_seconds() // 3600)
