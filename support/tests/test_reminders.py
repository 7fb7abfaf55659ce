"""Reminders before a voucher expires: once, and only while money is left on it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.jobs import job_lock
from payments import services as payment_services
from support import services

TODAY = timezone.localdate()


def run() -> str:
    out = io.StringIO()
    call_command("send_voucher_reminders", stdout=out)
    return out.getvalue()


def expiring_in(voucher, days: int):
    voucher.valid_until = TODAY + datetime.timedelta(days=days)
    voucher.save()
    return voucher


@pytest.fixture
def outbox(paid_voucher, mailoutbox, settings):
    """The outbox after the voucher mail, with a 60-day reminder window."""
    settings.VOUCHER_REMINDER_DAYS = 60
    mailoutbox.clear()
    return mailoutbox


def test_reminder_names_merchant_balance_date_and_code_ending(paid_voucher, outbox, merchant):
    expiring_in(paid_voucher, 30)
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=500)
    assert "Sent 1 " in run()
    [message] = outbox
    assert message.to == ["erika@example.org"]
    body = message.body.replace("\N{NO-BREAK SPACE}", " ")
    assert "Kiosk an der Möllerbrücke" in message.subject
    assert "22,50 €" in body  # 27,50 € less the 5 € spent
    assert f"…{paid_voucher.code_hint}" in body
    with translation.override("de"):  # the language the voucher was bought in
        assert date_format(paid_voucher.valid_until, "DATE_FORMAT") in message.subject
    assert "http://testserver/gutschein/guthaben/" in body
    paid_voucher.refresh_from_db()
    assert paid_voucher.reminder_sent_at is not None


def test_reminder_is_sent_once(paid_voucher, outbox):
    expiring_in(paid_voucher, 10)
    run()
    assert "Sent 0 " in run()
    assert len(outbox) == 1


def test_no_reminder_far_from_expiry(paid_voucher, outbox):
    expiring_in(paid_voucher, 61)
    assert "Sent 0 " in run()
    assert outbox == []


def test_no_reminder_for_a_used_up_voucher(paid_voucher, outbox, merchant):
    expiring_in(paid_voucher, 10)
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=paid_voucher.value)
    run()
    assert outbox == []


def test_no_reminder_for_an_expired_or_refunded_voucher(paid_voucher, outbox):
    expiring_in(paid_voucher, -1)
    run()
    expiring_in(paid_voucher, 10)
    payment_services.refund_create(order=paid_voucher.order, amount=paid_voucher.order.amount)
    run()
    assert outbox == []


def test_a_failed_mail_is_tried_again_next_time(paid_voucher, outbox, monkeypatch):
    expiring_in(paid_voucher, 10)
    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMessage.send", lambda *a, **k: 1 / 0)
        assert "Sent 0 " in run()
    paid_voucher.refresh_from_db()
    assert paid_voucher.reminder_sent_at is None
    assert "Sent 1 " in run()
    assert len(outbox) == 1


def test_a_reminder_speaks_the_language_the_voucher_was_bought_in(paid_voucher, outbox):
    paid_voucher.order.language = "en"
    paid_voucher.order.save()
    expiring_in(paid_voucher, 30)
    with translation.override("de"):  # the job runs in the site's language
        run()
    [message] = outbox
    assert message.subject.startswith("Your voucher for Kiosk an der Möllerbrücke expires on")


def test_no_reminder_while_another_run_holds_the_job_lock(paid_voucher, outbox):
    expiring_in(paid_voucher, 10)
    with job_lock("send_voucher_reminders"):  # a run on another machine, still under way
        assert run().startswith("already running (held by ")
    paid_voucher.refresh_from_db()
    assert paid_voucher.reminder_sent_at is None and outbox == []
    assert "Sent 1 " in run()  # the next run does it
