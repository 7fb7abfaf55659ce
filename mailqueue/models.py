"""A mail on its way: what Django's mail API was asked to send, kept until a worker has handed it
to the mail server. Sent mails keep only who, what subject and when (their body and attachments,
voucher codes among them, are dropped)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker that claimed the mail and died: after this, another may send it.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    subject = models.CharField(_("subject"), max_length=998)
    from_email = models.CharField(max_length=320)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    # [{"content": str, "mimetype": str}]: an HTML part, as Wagtail's notifications send
    alternatives = models.JSONField(default=list)
    # [{"filename": str, "mimetype": str, "content": base64 str}]
    attachments = models.JSONField(default=list)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        permissions = [("resend_queuedmail", "Can see failed e-mails and send them again")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def recipients(self) -> str:
        return ", ".join([*self.to, *self.cc, *self.bcc])
