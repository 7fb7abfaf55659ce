"""Queue, deliver, retry and resend mail. A mail is claimed by one sender at a time (a conditional
UPDATE), so a task, its retry and the sweeping job never send the same mail twice at once."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.utils import timezone

from .models import QueuedMail

logger = logging.getLogger(__name__)

# Longer than any delivery can take (EMAIL_TIMEOUT per server step): then a claim is stale.
CLAIM_SECONDS = 300


def mail_queue(*, message: EmailMessage) -> QueuedMail:
    mail = QueuedMail.objects.create(
        subject=str(message.subject),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        body=str(message.body),
        alternatives=[
            {"content": str(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", ())
        ],
        attachments=[_attachment(item) for item in message.attachments],
    )
    _enqueue(mail)
    return mail


def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        filename, content = item.get_filename() or "attachment", item.get_payload(decode=True)
        mimetype = item.get_content_type()
    else:
        filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename or "attachment",
        "mimetype": mimetype or "application/octet-stream",
        "content": base64.b64encode(content).decode("ascii"),
    }


def _enqueue(mail: QueuedMail) -> None:
    """On the database backend the task row joins the caller's transaction. If the queue cannot
    take it, the mail waits for `send_queued_mail`."""
    from .tasks import deliver_mail

    try:
        if mail.next_attempt_at <= timezone.now():
            deliver_mail.enqueue(mail.pk)
        elif deliver_mail.get_backend().supports_defer:
            deliver_mail.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
        # else (the immediate backend cannot wait): `send_queued_mail` sends it when due
    except Exception:
        logger.exception("Could not enqueue the delivery of mail %s", mail.pk)


def _claim(mail_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=QueuedMail.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=QueuedMail.Status.SENDING, claimed_until__lt=now
    )
    return bool(
        QueuedMail.objects.filter(claimable, pk=mail_id).update(
            status=QueuedMail.Status.SENDING,
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        )
    )


def email_message(mail: QueuedMail) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
    )
    for part in mail.alternatives:
        message.attach_alternative(part["content"], part["mimetype"])
    for item in mail.attachments:
        message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def mail_deliver(*, mail_id: int) -> str:
    """Hand one mail to the mail server (MAIL_DELIVERY_BACKEND). Returns what happened."""
    if not _claim(mail_id):
        return "not due"  # sent, failed for good, not due yet or being sent elsewhere
    mail = QueuedMail.objects.get(pk=mail_id)
    try:
        connection = get_connection(settings.MAIL_DELIVERY_BACKEND, fail_silently=False)
        connection.send_messages([email_message(mail)])
    except Exception as error:
        return _failed(mail, error)
    QueuedMail.objects.filter(pk=mail.pk).update(
        status=QueuedMail.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        attempts=mail.attempts + 1,
        last_error="",
        body="",
        alternatives=[],
        attachments=[],
    )
    logger.info("Sent mail %s (%r) after %s attempt(s)", mail.pk, mail.subject, mail.attempts + 1)
    return "sent"


def _failed(mail: QueuedMail, error: Exception) -> str:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    mail.claimed_until = None
    delays = settings.MAIL_RETRY_DELAYS
    if mail.attempts > len(delays):
        mail.status = QueuedMail.Status.FAILED
        mail.save(update_fields=["attempts", "last_error", "claimed_until", "status"])
        logger.error("Mail %s (%r) failed for good: %s", mail.pk, mail.subject, mail.last_error)
        return "failed"
    mail.status = QueuedMail.Status.QUEUED
    mail.next_attempt_at = timezone.now() + timedelta(seconds=delays[mail.attempts - 1])
    mail.save(
        update_fields=["attempts", "last_error", "claimed_until", "status", "next_attempt_at"]
    )
    logger.warning(
        "Mail %s (%r) not sent (attempt %s), next try at %s: %s",
        mail.pk,
        mail.subject,
        mail.attempts,
        mail.next_attempt_at.isoformat(),
        mail.last_error,
    )
    _enqueue(mail)
    return "retry"


def mail_resend(*, mail: QueuedMail) -> bool:
    """An editor sends a failed mail again: a fresh round of tries. False if it was not failed."""
    now = timezone.now()
    changed = QueuedMail.objects.filter(pk=mail.pk, status=QueuedMail.Status.FAILED).update(
        status=QueuedMail.Status.QUEUED, attempts=0, next_attempt_at=now, last_error=""
    )
    if changed:
        mail.refresh_from_db()
        _enqueue(mail)
    return bool(changed)


def mail_prune_sent() -> int:
    """Sent mails are kept MAIL_KEEP_SENT_DAYS (who got which subject when, for questions
    about a missing mail), then deleted: addresses are personal data."""
    cutoff = timezone.now() - timedelta(days=settings.MAIL_KEEP_SENT_DAYS)
    deleted, _ = QueuedMail.objects.filter(
        status=QueuedMail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


def mail_send_due() -> dict[str, int]:
    """Deliver every mail that is due and not being sent (the safety net behind the tasks: a
    queue that lost a task, or the immediate backend, which cannot wait for a retry)."""
    now = timezone.now()
    due = QueuedMail.objects.filter(
        Q(status=QueuedMail.Status.QUEUED, next_attempt_at__lte=now)
        | Q(status=QueuedMail.Status.SENDING, claimed_until__lt=now)
    ).values_list("pk", flat=True)
    outcome: dict[str, int] = {}
    for mail_id in list(due[:1000]):
        result = mail_deliver(mail_id=mail_id)
        outcome[result] = outcome.get(result, 0) + 1
    return outcome
