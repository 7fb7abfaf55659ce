"""The voucher PDF: what the buyer prints or shows at the counter."""

import io
import re

import pytest
import wagtail_factories
import zxingcpp
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from support import codes, services
from support.documents import voucher_pdf
from support.tests.conftest import pay_with_demo


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return text.replace("\N{NO-BREAK SPACE}", " ")


def decoded_qr_codes(data: bytes) -> list[str]:
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            found += [result.text for result in zxingcpp.read_barcodes(image.image)]
    return found


@pytest.fixture
def voucher_and_code(merchant, buyer, site):
    """A paid voucher and its code, issued without the mail (the code is only ever returned)."""
    buyer.recipient_name = "Jürgen Groß"
    buyer.gift_message = "Alles Gute zum Geburtstag!"
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)  # fulfil's mail waits for a commit that never comes in this test
    order.refresh_from_db()
    code = codes.new_code()
    order.voucher.code_digest = codes.digest(code)
    order.voucher.save()
    return order.voucher, code


def test_pdf_carries_merchant_value_code_validity_and_gift(voucher_and_code):
    voucher, code = voucher_and_code
    with translation.override("de"):
        data = voucher_pdf(voucher, code)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Kiosk an der Möllerbrücke" in text
    assert "27,50 €" in text  # 25 € paid plus the 10 % bonus
    assert codes.printable(code) in text
    assert f"31. Dezember {voucher.valid_until.year}" in text
    assert "Jürgen Groß" in text
    assert "Alles Gute zum Geburtstag!" in text
    assert "/gutschein/guthaben/" in text


def test_pdf_in_english_when_the_buyer_browses_in_english(voucher_and_code):
    voucher, code = voucher_and_code
    with translation.override("en"):
        text = pdf_text(voucher_pdf(voucher, code))
    assert "27.50 €" in text
    assert "Valid until" in text


def test_qr_code_in_the_pdf_decodes_to_the_code(voucher_and_code):
    voucher, code = voucher_and_code
    assert decoded_qr_codes(voucher_pdf(voucher, code)) == [code]


def test_code_typed_with_spaces_prints_normalised(voucher_and_code):
    voucher, code = voucher_and_code
    data = voucher_pdf(voucher, codes.printable(code).lower())
    assert codes.printable(code) in pdf_text(data)
    assert decoded_qr_codes(data) == [code]


def test_merchant_logo_is_printed(voucher_and_code):
    voucher, code = voucher_and_code
    voucher.merchant.logo = wagtail_factories.ImageFactory(title="Logo")
    voucher.merchant.save()
    reader = PdfReader(io.BytesIO(voucher_pdf(voucher, code)))
    assert len(reader.pages[0].images) == 2  # the logo and the QR code


def test_pdf_without_dejavu_falls_back_to_the_core_font(voucher_and_code, monkeypatch):
    voucher, code = voucher_and_code
    monkeypatch.setattr("support.documents.FONT_DIRS", ())
    with translation.override("de"):
        text = pdf_text(voucher_pdf(voucher, code))
    assert "Kiosk an der Möllerbrücke" in text
    assert "27,50 €" in text
    assert codes.printable(code) in text


@override_settings(LANGUAGE_CODE="de")
def test_one_page_even_with_a_long_gift_message(merchant, buyer, site):
    buyer.gift_message = "Danke für alles! " * 17  # the form allows 300 characters
    order = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    pay_with_demo(order)
    order.refresh_from_db()
    reader = PdfReader(io.BytesIO(voucher_pdf(order.voucher, codes.new_code())))
    assert len(reader.pages) == 1
    assert re.search(r"Danke für alles!", reader.pages[0].extract_text())
