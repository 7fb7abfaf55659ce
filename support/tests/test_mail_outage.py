"""A voucher is paid while the mail server refuses: the order is fulfilled at once, the mail
follows when the server accepts again, with its PDF, exactly once."""

import io
import re
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from core.testing import SmtpServer
from mailqueue.models import QueuedMail
from payments.models import Order
from support import selectors, services
from support.tests.conftest import pay_with_demo

CODE = re.compile(r"(?:[2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}")


def test_a_voucher_paid_while_the_mail_server_refuses_arrives_later_once(
    merchant, buyer, site, django_capture_on_commit_callbacks
):
    with (
        SmtpServer(refusing=True) as server,
        override_settings(
            MAIL_DELIVERY_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            MAIL_RETRY_DELAYS=[60],
        ),
    ):
        order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
        with django_capture_on_commit_callbacks(execute=True):
            pay_with_demo(order)
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert order.voucher.balance() == 2750  # 25 € with 10 % bonus, ready to spend
        assert QueuedMail.objects.get().status == QueuedMail.Status.QUEUED
        assert not server.messages

        server.refusing = False
        QueuedMail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        call_command("send_queued_mail")
        call_command("send_queued_mail")

    [message] = server.messages
    assert message["To"] == "erika@example.org"
    text, pdf = (part for part in message.walk() if not part.is_multipart())
    code = CODE.search(text.get_payload(decode=True).decode()).group()
    assert selectors.voucher_by_code(code) == order.voucher
    assert pdf.get_filename() == f"gutschein-{merchant.slug}.pdf"
    pdf_text = PdfReader(io.BytesIO(pdf.get_payload(decode=True))).pages[0].extract_text()
    assert code in pdf_text


def test_a_confirmation_that_cannot_be_built_is_retried_later_and_queues_nothing(paid_voucher):
    from django_tasks_db.models import DBTaskResult

    from support.tasks import send_order_confirmation

    queued_before = QueuedMail.objects.count()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        # A voucher order without its code cannot be confirmed (support/mails.py refuses).
        outcome = send_order_confirmation.call(paid_voucher.order.pk, None)
    assert outcome.startswith("attempt 1 failed, attempt 2 after ")
    [retry] = DBTaskResult.objects.filter(task_path="support.tasks.send_order_confirmation")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert retry.run_after > timezone.now()
    assert QueuedMail.objects.count() == queued_before
