"""Django's EMAIL_BACKEND for the whole site: every send_mail and EmailMessage.send(), the portal's
and Wagtail's, only writes the mail to the queue, in the caller's transaction. The request never
waits for the mail server; a rolled-back transaction sends nothing."""

from django.core.mail.backends.base import BaseEmailBackend

from . import services


class QueueBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        queued = 0
        for message in email_messages:
            if message.recipients():
                services.mail_queue(message=message)
                queued += 1
        return queued
