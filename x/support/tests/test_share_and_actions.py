"""What support puts under a merchant's name (vouchers, donations, the campaign: at once, not
below opening hours and map), and sharing the merchant from the thank-you page."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from support import services
from support.models import Campaign, VoucherOffer

pytestmark = pytest.mark.django_db


def actions(html: str) -> list[tuple[str, str]]:
    """(label, href) of each action under the merchant's name, in order."""
    return re.findall(r'class="button [^"]*merchant-action[^"]*" href="([^"]+)">([^<]+)</a>', html)


def test_the_campaign_vouchers_and_donations_stand_under_the_name(client, merchant):
    html = client.get(merchant.url).content.decode()

    assert actions(html) == [
        (reverse("support:checkout", args=[merchant.pk, "kampagne"]), "Kampagne unterstützen"),
        (reverse("support:checkout", args=[merchant.pk, "gutschein"]), "Gutschein kaufen"),
        (reverse("support:checkout", args=[merchant.pk, "spende"]), "Spenden"),
    ]
    first_action = html.index("merchant-action--")
    assert html.index("</h1>") < first_action < html.index('id="hours-heading"')
    assert first_action < html.index('id="support-heading"')  # the box further down stays


def test_sold_out_vouchers_and_an_ended_campaign_are_no_actions(client, merchant):
    VoucherOffer.objects.filter(page=merchant).update(stock=0)
    Campaign.objects.filter(page=merchant).update(
        deadline=datetime.date.today() - datetime.timedelta(days=1)
    )

    html = client.get(merchant.url).content.decode()

    assert [label for _, label in actions(html)] == ["Spenden"]
    assert "Ausverkauft." in html  # the offers box still says why


def test_the_thank_you_page_shares_the_merchants_page_never_the_order(
    client, merchant, paid_voucher
):
    order = paid_voucher.order
    order_url = reverse("payments:order", args=[order.reference])

    html = client.get(order_url).content.decode()

    assert "Vielen Dank!" in html
    links = dict(re.findall(r'share__link--(\w+)" href="([^"]+)"', html))
    assert set(links) == {"email", "whatsapp", "facebook", "x"}
    facebook = parse_qs(urlsplit(unescape(links["facebook"])).query)["u"][0]
    assert urlsplit(facebook).path == merchant.url and urlsplit(facebook).netloc
    whatsapp = parse_qs(urlsplit(unescape(links["whatsapp"])).query)["text"][0]
    assert whatsapp.startswith("Ich habe gerade Kiosk an der Möllerbrücke unterstützt. Mach mit:")
    assert whatsapp.endswith(merchant.url)
    share_box = html[html.index("data-share ") : html.index("data-share-status")]
    assert str(order.reference) not in share_box and "bestellung" not in share_box
    assert f'data-share-url="{facebook}"' in share_box  # what navigator.share gets


def test_an_unpaid_order_has_nothing_to_share(client, merchant, buyer, site):
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)

    html = client.get(reverse("payments:order", args=[order.reference])).content.decode()

    assert "share__link" not in html
