"""What the buyer finds in their inbox after paying."""

import io
import re

import pytest
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from support import selectors, services
from support.mails import send_order_confirmation
from support.models import CampaignReward, DonationPreset
from support.tests.conftest import pay_with_demo

CODE = re.compile(r"(?:[2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}")


def paid(order, capture):
    with capture(execute=True):
        pay_with_demo(order)
    order.refresh_from_db()
    return order


def test_voucher_mail_has_the_code_the_pdf_and_the_balance_link(paid_voucher, mailoutbox):
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["erika@example.org"]
    assert "Kiosk an der Möllerbrücke" in message.subject
    code = CODE.search(message.body).group()
    assert selectors.voucher_by_code(code) == paid_voucher  # the code in the mail spends this one
    assert "27,50\N{NO-BREAK SPACE}€" in message.body
    assert "http://testserver/gutschein/guthaben/" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"gutschein-{paid_voucher.merchant.slug}.pdf"
    assert mimetype == "application/pdf"
    pdf_text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert code in pdf_text


def test_voucher_mail_names_the_recipient(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    buyer.recipient_name = "Jürgen <b>Groß</b>"
    paid(
        services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site),
        django_capture_on_commit_callbacks,
    )
    assert "Jürgen <b>Groß</b>" in mailoutbox[0].body  # plain text: nothing escaped into &lt;


def test_a_gift_voucher_goes_to_the_recipient_and_the_buyer_is_told(
    client, merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    buyer.recipient_name, buyer.recipient_email = "Jürgen", "juergen@example.org"
    buyer.gift_message = "Alles Gute!"
    order = paid(
        services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site),
        django_capture_on_commit_callbacks,
    )
    gift, confirmation = mailoutbox
    assert gift.to == ["juergen@example.org"]
    assert (
        gift.subject
        == "Erika Mustermann schenkt Ihnen einen Gutschein für Kiosk an der Möllerbrücke"
    )
    assert "Hallo Jürgen," in gift.body and "„Alles Gute!“" in gift.body
    code = CODE.search(gift.body).group()
    assert selectors.voucher_by_code(code) == order.voucher
    [(_name, content, _type)] = gift.attachments
    assert code in PdfReader(io.BytesIO(content)).pages[0].extract_text()

    assert confirmation.to == ["erika@example.org"]
    assert "juergen@example.org" in confirmation.subject
    assert "27,50\N{NO-BREAK SPACE}€" in confirmation.body
    assert not CODE.search(confirmation.body) and not confirmation.attachments  # the gift's
    html = client.get(f"/bestellung/{order.reference}/").content.decode()
    assert "Ihr Gutschein ist unterwegs an juergen@example.org" in html


def test_a_lost_gift_is_sent_again_to_the_recipients_corrected_address(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox, editor_client
):
    buyer.recipient_email = "juergen@exmaple.org"  # mistyped
    order = paid(
        services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site),
        django_capture_on_commit_callbacks,
    )
    page = editor_client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert "&lt;juergen@exmaple.org&gt;" in page  # shown beside the buyer
    assert 'value="juergen@exmaple.org"' in page
    mailoutbox.clear()
    assert reissue(editor_client, order, "juergen@example.org").status_code == 302
    assert [message.to for message in mailoutbox] == [["juergen@example.org"], [buyer.email]]
    assert selectors.voucher_by_code(CODE.search(mailoutbox[0].body).group()) == order.voucher
    order.refresh_from_db()
    assert (order.support.recipient_email, order.buyer_email) == (
        "juergen@example.org",
        buyer.email,
    )


def test_donation_thank_you(merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox):
    buyer.on_wall, buyer.supporter_name = True, "Erika"
    preset = DonationPreset.objects.get(name="ein virtuelles Bier")
    order = services.order_donation(
        merchant=merchant, amount=0, buyer=buyer, site=site, preset=preset
    )
    paid(order, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert message.to == ["erika@example.org"]
    assert "Kiosk an der Möllerbrücke" in message.subject
    assert "3,50\N{NO-BREAK SPACE}€" in message.body
    assert "ein virtuelles Bier" in message.body
    assert not message.attachments
    assert not CODE.search(message.body)


def test_campaign_thank_you_says_the_money_goes_to_the_merchant_anyway(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox
):
    reward = CampaignReward.objects.get(page=merchant)
    with translation.override("en"):  # the buyer ordered on the English site
        order = services.order_campaign(
            merchant=merchant, amount=1500, buyer=buyer, site=site, reward=reward
        )
    paid(order, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert message.subject == "Thank you for supporting Kiosk an der Möllerbrücke"
    assert "15\N{NO-BREAK SPACE}€" in message.body
    assert "Neue Kühltheke" in message.body
    assert "Ein Kaffee aufs Haus" in message.body
    assert "even if the campaign misses its goal" in message.body


def test_a_failing_mail_does_not_undo_the_voucher(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    order = paid(
        services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site),
        django_capture_on_commit_callbacks,
    )
    assert order.voucher.balance() == 1100
    assert mailoutbox == []


def test_voucher_mail_refuses_to_go_without_a_code(paid_voucher):
    mail.outbox.clear()
    with pytest.raises(ValueError):
        send_order_confirmation(paid_voucher.order, None)
    assert mail.outbox == []


# --- a lost voucher mail: editors send the voucher again with a new code --------------------


def reissue(client, order, email, confirm=True):
    data = {"action": "reissue", "email": email}
    if confirm:
        data["confirm"] = "on"
    return client.post(f"/admin/support/orders/{order.pk}/reissue/", data)


def test_editor_sends_a_lost_voucher_again_with_a_new_code(paid_voucher, mailoutbox, editor_client):
    order = paid_voucher.order
    old_code = CODE.search(mailoutbox[0].body).group()
    services.voucher_redeem(voucher=paid_voucher, merchant=paid_voucher.merchant, amount=500)
    page = editor_client.get(f"/admin/orders/{order.pk}/").content.decode()
    assert 'value="reissue"' in page and 'value="erika@example.org"' in page

    # The buyer mistyped the address: the editor corrects it.
    response = reissue(editor_client, order, "erika.m@example.org")

    assert response.status_code == 302
    message = mailoutbox[-1]
    assert message.to == ["erika.m@example.org"]
    assert "Gutschein" in message.subject  # the site's language, not the editor's
    new_code = CODE.search(message.body).group()
    assert new_code != old_code
    assert selectors.voucher_by_code(new_code) == paid_voucher
    assert selectors.voucher_by_code(old_code) is None  # the lost mail's code is spent for good
    [(_name, content, _type)] = message.attachments
    assert new_code in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    paid_voucher.refresh_from_db()
    assert paid_voucher.balance() == 2750 - 500
    assert paid_voucher.code_hint == new_code[-4:]
    order.refresh_from_db()
    assert order.buyer_email == "erika.m@example.org"


def test_sending_again_needs_the_confirmation_and_a_valid_address(
    paid_voucher, mailoutbox, editor_client
):
    digest = paid_voucher.code_digest
    for email, confirm in (("erika@example.org", False), ("not an address", True)):
        response = reissue(editor_client, paid_voucher.order, email, confirm)
        assert response.status_code == 400
    paid_voucher.refresh_from_db()
    assert paid_voucher.code_digest == digest and len(mailoutbox) == 1


def test_only_editors_who_may_change_orders_send_vouchers_again(
    paid_voucher, mailoutbox, django_user_model, client
):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", "viewer@example.org", "pw")
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="payments", codename="view_order"),
    )
    client.force_login(viewer)
    order = paid_voucher.order
    assert 'value="reissue"' not in client.get(f"/admin/orders/{order.pk}/").content.decode()
    reissue(client, order, "mallory@example.org")
    paid_voucher.refresh_from_db()
    assert paid_voucher.code_reissued_at is None and len(mailoutbox) == 1


def test_a_donation_has_no_voucher_to_send_again(
    merchant, buyer, site, django_capture_on_commit_callbacks, mailoutbox, editor_client
):
    order = paid(
        services.order_donation(merchant=merchant, amount=1000, buyer=buyer, site=site),
        django_capture_on_commit_callbacks,
    )
    assert reissue(editor_client, order, "erika@example.org").status_code == 400
    assert len(mailoutbox) == 1


def test_mails_speak_the_language_the_buyer_ordered_in(
    client, merchant, site, django_capture_on_commit_callbacks, mailoutbox
):
    merchant.save_revision().publish()
    data = {"buyer_name": "Erika", "buyer_email": "erika@example.org", "value": "2500"}
    client.post(f"/unterstuetzen/{merchant.pk}/gutschein/", data, HTTP_ACCEPT_LANGUAGE="en")
    order = merchant.orders.get()
    assert order.language == "en"
    # Paid and fulfilled from a request in another language, as by Stripe's webhook.
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        pay_with_demo(order)
    [message] = mailoutbox
    assert message.subject == "Your voucher for Kiosk an der Möllerbrücke"
    [(_name, content, _type)] = message.attachments
    assert "Valid until" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
