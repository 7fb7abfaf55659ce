"""Every mail of the portal goes through the queue: delivered once, retried when the mail server
refuses, shown to editors when it failed for good, and sent again at an editor's click."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.testing import HangingServer, SmtpServer
from mailqueue.models import QueuedMail

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def smtp_at(port: int, **extra):
    return override_settings(
        **{
            "MAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_TIMEOUT": 2,
            **extra,
        }
    )


def make_due():
    QueuedMail.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_a_mail_with_html_and_an_attachment_arrives_as_it_was_sent(mailoutbox):
    message = mail.EmailMultiAlternatives(
        "Ihr Beleg", "Text", to=["anna@example.org"], reply_to=["info@example.org"]
    )
    message.attach_alternative("<p>Text</p>", "text/html")
    message.attach("beleg.pdf", b"%PDF-1.4 bytes", "application/pdf")
    message.send()

    [delivered] = mailoutbox
    assert (delivered.subject, delivered.body, delivered.to) == ("Ihr Beleg", "Text", message.to)
    assert delivered.reply_to == ["info@example.org"]
    assert delivered.alternatives[0][:2] == ("<p>Text</p>", "text/html")
    assert delivered.attachments[0][:3] == ("beleg.pdf", b"%PDF-1.4 bytes", "application/pdf")
    queued = QueuedMail.objects.get()
    assert queued.status == QueuedMail.Status.SENT and queued.sent_at
    # What was in it (a voucher code, say) is not kept once it is sent.
    assert (queued.body, queued.attachments, queued.alternatives) == ("", [], [])

    call_command("send_queued_mail")
    assert len(mailoutbox) == 1  # sent once, never again


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_task_queue_a_rolled_back_mail_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_mail("Willkommen", "Hallo", None, ["anna@example.org"])
        assert QueuedMail.objects.count() == DBTaskResult.objects.count() == 1
        raise RuntimeError("the registration failed after the mail was written")
    assert not QueuedMail.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_request_never_waits_for_a_hanging_mail_server(client, mailoutbox):
    with HangingServer() as server, smtp_at(server.port, EMAIL_TIMEOUT=1):
        started = time.monotonic()
        mail.send_mail("Willkommen", "Hallo", None, ["anna@example.org"])
        assert time.monotonic() - started < 0.5  # only the queue's rows were written
        assert QueuedMail.objects.get().status == QueuedMail.Status.QUEUED
        [task] = DBTaskResult.objects.all()
        assert task.task_path == "mailqueue.tasks.deliver_mail"

        # The delivery meets the hanging server: bounded by EMAIL_TIMEOUT, then deferred.
        started = time.monotonic()
        call_command("send_queued_mail")
        assert time.monotonic() - started < 5
    queued = QueuedMail.objects.get()
    assert queued.status == QueuedMail.Status.QUEUED and queued.attempts == 1
    assert "timed out" in queued.last_error
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert retry.task_path == first.task_path == "mailqueue.tasks.deliver_mail"
    assert retry.run_after >= queued.next_attempt_at - timedelta(seconds=1)  # deferred, not now
    assert not mailoutbox


@pytest.mark.django_db
def test_a_refused_mail_is_retried_and_arrives_once():
    with SmtpServer(refusing=True) as server, smtp_at(server.port, MAIL_RETRY_DELAYS=[60, 60]):
        mail.send_mail("Ihr Gutschein", "Code", None, ["anna@example.org"])
        queued = QueuedMail.objects.get()
        assert (queued.status, queued.attempts) == (QueuedMail.Status.QUEUED, 1)
        assert "451" in queued.last_error
        assert queued.next_attempt_at > timezone.now() + timedelta(seconds=50)

        call_command("send_queued_mail")  # not due yet: nothing is tried
        assert QueuedMail.objects.get().attempts == 1

        server.refusing = False
        make_due()
        call_command("send_queued_mail")
        call_command("send_queued_mail")
    assert [m["Subject"] for m in server.messages] == ["Ihr Gutschein"]
    assert QueuedMail.objects.get().status == QueuedMail.Status.SENT


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.org", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.mark.django_db
def test_a_mail_that_failed_for_good_is_shown_to_editors_who_send_it_again(client, moderator):
    with SmtpServer(refusing=True) as server, smtp_at(server.port, MAIL_RETRY_DELAYS=[60]):
        mail.send_mail("Ihr Gutschein", "Code", None, ["anna@example.org"])
        make_due()
        call_command("send_queued_mail")
        failed = QueuedMail.objects.get()
        assert (failed.status, failed.attempts) == (QueuedMail.Status.FAILED, 2)

        client.force_login(moderator)
        page = client.get("/admin/mails/?status=failed")
        assert page.status_code == 200
        html = page.content.decode()
        assert "anna@example.org" in html and "Ihr Gutschein" in html
        assert "451" in html  # the mail server's answer, for the editor to judge
        assert f"/admin/mails/{failed.pk}/resend/" in html
        found = client.get("/admin/mails/?q=anna@example").content.decode()
        assert "Ihr Gutschein" in found  # found by the address it went to
        assert "Ihr Gutschein" not in client.get("/admin/mails/?q=nobody").content.decode()

        server.refusing = False
        response = client.post(f"/admin/mails/{failed.pk}/resend/", {"next": "/admin/mails/"})
        assert response.status_code == 302
        assert client.post(f"/admin/mails/{failed.pk}/resend/").status_code == 302  # no-op
    assert [m["To"] for m in server.messages] == ["anna@example.org"]
    assert QueuedMail.objects.get().status == QueuedMail.Status.SENT


@pytest.mark.django_db
def test_people_without_the_right_see_no_mails(client, django_user_model):
    mail.send_mail("Ihr Gutschein", "Code", None, ["anna@example.org"])
    merchant = django_user_model.objects.create_user("kiosk", "kiosk@example.org", "pw")
    merchant.groups.add(Group.objects.create(name="Kiosk"))
    client.force_login(merchant)
    assert client.get("/admin/mails/").status_code in (302, 403)
    mail_id = QueuedMail.objects.get().pk
    assert client.post(f"/admin/mails/{mail_id}/resend/").status_code in (302, 403)
    assert QueuedMail.objects.get().attempts == 1


@pytest.mark.django_db
@override_settings(MAIL_KEEP_SENT_DAYS=30)
def test_sent_mails_are_forgotten_after_the_kept_days(mailoutbox):
    mail.send_mail("Alt", "x", None, ["alt@example.org"])
    mail.send_mail("Neu", "x", None, ["neu@example.org"])
    QueuedMail.objects.filter(subject="Alt").update(sent_at=timezone.now() - timedelta(days=31))
    call_command("send_queued_mail")
    assert list(QueuedMail.objects.values_list("subject", flat=True)) == ["Neu"]


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_a_mail_goes_ahead_of_bulk_index_updates():
    from wagtail.tasks import update_reference_index_task

    update_reference_index_task.enqueue("wagtailcore", "page", 1)
    mail.send_mail("Ihr Gutschein", "x", None, ["anna@example.org"])
    # What db_worker takes next: the highest priority first (django_tasks_db orders so).
    assert DBTaskResult.objects.ready().first().task_path == "mailqueue.tasks.deliver_mail"
