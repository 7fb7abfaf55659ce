"""Every link a buyer gets, in a mail or on the printed voucher, starts at the configured base
URL (PORTAL_BASE_URL), never at the Wagtail site's own name (the seeded one is "localhost"
without a port, a dead link), and the voucher links the balance check."""

import io
import re

import pytest
from pypdf import PdfReader

from payments.mails import surplus_refund_mail
from support import services
from support.mails import send_voucher_reminder
from support.tests.conftest import pay_with_demo

pytestmark = pytest.mark.django_db

BASE = "https://dortmund-haelt-zusammen.example"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.PORTAL_BASE_URL = BASE


def links(text: str) -> list[str]:
    return LINK.findall(text)


def assert_all_at_base(text: str):
    found = links(text)
    assert found, "no link at all"
    assert "localhost" not in text
    assert all(link.startswith(BASE + "/") for link in found), found


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # A long address wraps on the page: join the lines to read it whole.
    return re.sub(r"\s*\n\s*", "", text)


def test_the_voucher_mail_and_pdf_link_the_balance_check_at_the_base_url(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    merchant.save_revision().publish()
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    with django_capture_on_commit_callbacks(execute=True):
        pay_with_demo(order)
    [message] = mailoutbox
    assert f"{BASE}/gutschein/guthaben/" in message.body
    assert f"{BASE}{merchant.url}" in message.body
    assert_all_at_base(message.body)

    [(_name, content, _type)] = message.attachments
    text = pdf_text(content)
    assert f"{BASE}/gutschein/guthaben/" in text
    assert "localhost" not in text


def test_the_gift_voucher_mails_link_at_the_base_url(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    merchant.save_revision().publish()
    buyer.recipient_name, buyer.recipient_email = "Jürgen", "juergen@example.org"
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    with django_capture_on_commit_callbacks(execute=True):
        pay_with_demo(order)
    gift, confirmation = mailoutbox
    assert f"{BASE}/gutschein/guthaben/" in gift.body
    for message in (gift, confirmation):
        assert_all_at_base(message.body)


@pytest.mark.parametrize("kind", ["donation", "campaign"])
def test_thank_you_mails_link_the_merchant_at_the_base_url(
    kind, merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    merchant.save_revision().publish()
    if kind == "donation":
        order = services.order_donation(merchant=merchant, amount=1000, buyer=buyer, site=site)
    else:
        order = services.order_campaign(merchant=merchant, amount=1000, buyer=buyer, site=site)
    with django_capture_on_commit_callbacks(execute=True):
        pay_with_demo(order)
    [message] = mailoutbox
    assert f"{BASE}{merchant.url}" in message.body
    assert_all_at_base(message.body)


def test_the_reminder_and_the_refund_mail_link_at_the_base_url(paid_voucher, mailoutbox):
    paid_voucher.merchant.save_revision().publish()
    mailoutbox.clear()
    send_voucher_reminder(paid_voucher)
    surplus_refund_mail(paid_voucher.order.payments.get())
    reminder, refund = mailoutbox
    assert f"{BASE}/gutschein/guthaben/" in reminder.body
    for message in (reminder, refund):
        assert_all_at_base(message.body)
