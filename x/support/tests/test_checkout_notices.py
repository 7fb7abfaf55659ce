"""What a buyer is told before paying: terms and privacy linked, the cancellation policy for a
voucher, and for a donation or campaign that it is no tax-deductible donation; each kind in its
own words (no voucher or VAT talk where neither is sold)."""

import re

import pytest
from wagtail.models import Site

from pages.legal import ensure_legal_pages
from pages.models import CitySettings

pytestmark = pytest.mark.django_db

NOT_DEDUCTIBLE = (
    "Spenden an Betriebe sind keine steuerlich absetzbaren Spenden; eine "
    "Zuwendungsbestätigung kann nicht ausgestellt werden."
)
VOUCHER_OR_VAT = re.compile(r"Gutschein|MwSt|Mehrwertsteuer|Umsatzsteuer|USt\b|VAT", re.I)


@pytest.fixture
def live_merchant(merchant, home_page):
    merchant.save_revision().publish()
    ensure_legal_pages(home_page, city=CitySettings.for_site(Site.objects.get()))
    return merchant


def before_payment(client, merchant, kind) -> str:
    """The checkout form's part from the first field to the submit button (not the site's
    header or footer, whose links say "Gutschein-Guthaben prüfen" on every page)."""
    response = client.get(f"/unterstuetzen/{merchant.pk}/{kind}/")
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('<form class="registration-form checkout-form"') :]
    return form[: form.index("</form>")]


@pytest.mark.parametrize("kind", ["spende", "kampagne"])
def test_a_gift_says_it_is_not_tax_deductible_and_speaks_of_no_voucher_or_vat(
    client, live_merchant, kind
):
    form = before_payment(client, live_merchant, kind)
    text = " ".join(re.sub(r"<[^>]+>", " ", form).split())
    assert NOT_DEDUCTIBLE in text
    assert "ein Widerrufsrecht besteht nicht" in text
    # The notice comes before the button that leads to the payment.
    assert form.index("keine steuerlich absetzbaren") < form.index('type="submit"')
    assert not VOUCHER_OR_VAT.search(text), VOUCHER_OR_VAT.search(text)


def test_the_voucher_checkout_states_the_right_of_withdrawal(client, live_merchant):
    text = " ".join(
        re.sub(r"<[^>]+>", " ", before_payment(client, live_merchant, "gutschein")).split()
    )
    assert "Widerrufsrecht: Sie können den Kauf eines Gutscheins binnen 14 Tagen" in text
    assert "Ihre Bestätigung und Ihr Gutschein gehen an diese Adresse." in text
    assert "steuerlich absetzbar" not in text  # a voucher is bought, not given
    assert not re.search(r"MwSt|Mehrwertsteuer|VAT", text)


@pytest.mark.parametrize("kind", ["gutschein", "spende", "kampagne"])
def test_every_checkout_links_the_terms_and_the_privacy_policy(client, live_merchant, kind):
    form = before_payment(client, live_merchant, kind)
    assert 'href="/nutzungsbedingungen/">Nutzungsbedingungen</a>' in form
    assert 'href="/datenschutz/">Datenschutzerklärung</a>' in form
    for path in ("/nutzungsbedingungen/", "/datenschutz/"):
        assert client.get(path).status_code == 200


def test_english_checkout_notice(client, live_merchant):
    client.cookies["django_language"] = "en"
    form = before_payment(client, live_merchant, "spende")
    assert "Donations to businesses are not tax-deductible donations" in form
    assert "Your thank-you and the confirmation of your donation are sent here." in form
