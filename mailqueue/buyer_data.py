"""The mail queue's part of a buyer's data rights (privacy.hooks): which mails went to their
address, and on erasure the mails themselves. A mail still on its way is left to arrive (it
keeps only subject and address once sent, and old sent mails are pruned)."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtail import hooks

from privacy.hooks import BUYER_DATA_ERASE, BUYER_DATA_EXPORT

from .models import QueuedMail


def mails_to(email: str) -> list[QueuedMail]:
    # JSON lists: a text match narrows it down on every database, the exact check follows.
    wanted = email.strip().lower()
    candidates = QueuedMail.objects.filter(to__icontains=wanted).order_by("created_at", "pk")
    return [mail for mail in candidates if wanted in (a.lower() for a in mail.to)]


@hooks.register(BUYER_DATA_EXPORT)
def export_mails(email: str, orders: QuerySet) -> dict:
    return {
        "mails": [
            {
                "subject": mail.subject,
                "queued_at": mail.created_at.isoformat(),
                "status": mail.status,
                "sent_at": mail.sent_at.isoformat() if mail.sent_at else None,
            }
            for mail in mails_to(email)
        ]
    }


@hooks.register(BUYER_DATA_ERASE)
def erase_mails(orders: QuerySet, email: str | None) -> None:
    if email:
        ids = [mail.pk for mail in mails_to(email) if mail.status != QueuedMail.Status.QUEUED]
        QueuedMail.objects.filter(pk__in=ids).exclude(status=QueuedMail.Status.SENDING).delete()
