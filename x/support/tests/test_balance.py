"""The public balance page: a buyer types their code and sees what is left."""

import datetime
import re

import pytest
from django.urls import reverse

from payments import services as payment_services
from support import codes, services

URL = reverse("support:voucher_balance")
CODE = re.compile(r"(?:[2-9A-HJ-NP-Z]{4} ){4}[2-9A-HJ-NP-Z]{4}")
NOT_FOUND = "We could not find a voucher with this code."


@pytest.fixture
def code(paid_voucher, mailoutbox) -> str:
    """The code as the buyer has it: from the confirmation mail."""
    return CODE.search(mailoutbox[0].body).group()


@pytest.fixture
def en(client):
    """The buyer reads the site in English (German msgstrs must not break the assertions)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return response.content.decode().replace("\N{NO-BREAK SPACE}", " ")


def test_empty_form_has_a_labelled_code_field(client, site):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="voucher-code">' in html
    assert 'id="voucher-code" type="text" name="code"' in html
    assert 'method="post"' in html


def test_balance_after_a_partial_redemption(client, code, paid_voucher, merchant):
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=1000)
    response = client.post(URL, {"code": code})
    assert response.status_code == 200
    page = text(response)
    assert "17,50 €" in page  # 27,50 € less 10 €
    assert "27,50 €" in page  # the value it started with
    assert "Kiosk an der Möllerbrücke" in page
    assert f"31. Dezember {paid_voucher.valid_until.year}" in page
    assert response["Cache-Control"] == "no-store"


def test_code_typed_in_small_letters_with_dashes_is_found(client, code):
    response = client.post(URL, {"code": code.lower().replace(" ", "-")})
    assert "27,50 €" in text(response)


@pytest.mark.parametrize(
    "typed",
    [
        "AAAA BBBB CCCC DDDD EEEE",  # well formed, unknown
        "AAAA BBBB CCCC",  # too short
        "0000 1111 OOOO IIII 0000",  # letters that codes never use
    ],
)
def test_wrong_codes_get_the_same_friendly_answer(en, site, typed):
    response = en.post(URL, {"code": typed})
    assert response.status_code == 404
    assert NOT_FOUND in text(response)


def test_a_near_miss_says_nothing_about_which_part_was_wrong(en, code):
    near_miss = code[:-1] + ("2" if code[-1] != "2" else "3")
    page = text(en.post(URL, {"code": near_miss}))
    assert NOT_FOUND in page
    assert "27.50 €" not in page


@pytest.mark.parametrize(
    "typed",
    [
        "x" * 10_000,
        "' OR 1=1; DROP TABLE support_voucher; --",
        '"><script>alert(1)</script>',
        "\N{PILE OF POO}%s{}",
    ],
)
def test_odd_input_is_answered_kindly(en, site, typed):
    response = en.post(URL, {"code": typed})
    assert response.status_code == 404
    page = text(response)
    assert NOT_FOUND in page
    assert "<script>alert(1)" not in page  # echoed into the field, escaped


def test_a_nul_byte_is_a_bad_request_not_an_error(en, site):
    # No keyboard types one; the middleware refuses it before the database sees it.
    response = en.post(URL, {"code": "\x00ABCD"})
    assert response.status_code == 400


def test_empty_submission_asks_for_the_code(en, site):
    response = en.post(URL, {"code": "  "})
    assert response.status_code == 400
    assert "Please enter your voucher code." in text(response)


def test_expired_voucher_says_so(en, code, paid_voucher):
    paid_voucher.valid_until = datetime.date(2020, 12, 31)
    paid_voucher.save()
    page = text(en.post(URL, {"code": code}))
    assert "This voucher expired on" in page
    assert "2020" in page


def test_used_up_voucher_says_so(en, code, paid_voucher, merchant):
    services.voucher_redeem(voucher=paid_voucher, merchant=merchant, amount=paid_voucher.value)
    page = text(en.post(URL, {"code": code}))
    assert "This voucher has been used up." in page
    assert "0 €" in page


def test_refunded_voucher_is_no_longer_valid(en, code, paid_voucher):
    payment_services.refund_create(order=paid_voucher.order, amount=paid_voucher.order.amount)
    page = text(en.post(URL, {"code": code}))
    assert "This voucher was refunded and is no longer valid." in page


def test_lookups_are_rate_limited_per_ip(en, code, settings):
    settings.VOUCHER_LOOKUP_RATE_LIMIT = 3
    for _ in range(5):  # only submitted lookups count, not showing the form
        assert en.get(URL).status_code == 200
    for _ in range(3):
        assert en.post(URL, {"code": codes.new_code()}).status_code == 404
    response = en.post(URL, {"code": code})  # even the right code waits now
    assert response.status_code == 429
    page = text(response)
    assert "Please try again in an hour" in page
    assert "27.50 €" not in page
    other = en.post(URL, {"code": code}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    assert "27.50 €" in text(other)


def test_a_code_in_the_url_is_never_looked_up(client, code):
    response = client.get(URL, {"code": code})  # a link someone shared, or a proxy log
    assert response.status_code == 200
    page = text(response)
    assert 'id="voucher-code" type="text" name="code"' in page  # just the empty form
    assert code not in page and codes.normalise(code) not in page
    assert "27,50" not in page
    assert "27,50 €" in text(client.post(URL, {"code": code}))  # what a lookup would show
