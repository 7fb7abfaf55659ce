"""Sharing a merchant's page and a story without JavaScript (plain links, no third-party
script), and the actions other apps put right under a merchant's name."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail import hooks

from directory.hooks import MERCHANT_PAGE_ACTIONS, MerchantAction
from pages.tests.factories import StoryIndexPageFactory, StoryPageFactory

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db


def share_links(html: str) -> dict[str, str]:
    """{"whatsapp": href, ...}: the plain share links on the page, unescaped."""
    links = re.findall(r'class="chip share__link share__link--(\w+)" href="([^"]+)"', html)
    return {key: unescape(href) for key, href in links}


def shared_address(links: dict[str, str]) -> set[str]:
    """The page address each link hands to its service (every one must name the same)."""
    query = {key: parse_qs(urlsplit(href).query) for key, href in links.items()}
    return {
        query["facebook"]["u"][0],
        query["x"]["url"][0],
        query["whatsapp"]["text"][0].split()[-1],
        query["email"]["body"][0].split()[-1],
    }


@pytest.fixture
def merchant(directory_page):
    return MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")


def test_a_merchant_page_has_plain_share_links_to_its_public_address(client, merchant):
    html = client.get(merchant.url).content.decode()

    links = share_links(html)
    assert set(links) == {"email", "whatsapp", "facebook", "x"}
    assert links["email"].startswith("mailto:?")
    assert links["whatsapp"].startswith("https://wa.me/?text=")
    assert links["facebook"].startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert links["x"].startswith("https://twitter.com/intent/tweet?")
    [address] = shared_address(links)
    assert urlsplit(address).scheme in {"http", "https"} and urlsplit(address).netloc
    assert urlsplit(address).path == merchant.url
    # Encoded in the link, not spliced in raw: the address's own "/" and ":" are escaped.
    assert "u=http%3A%2F%2F" in links["facebook"] or "u=https%3A%2F%2F" in links["facebook"]
    assert "Kiosk%20an%20der%20M%C3%B6llerbr%C3%BCcke" in links["whatsapp"]
    # The browser's own share sheet and the copy button wait for the script; no foreign script.
    assert re.search(r"<button[^>]*data-share-native hidden>Teilen</button>", html)
    assert '/static/js/share.js"' in html
    assert not re.search(r"<script[^>]+src=\"https?://", html)


def test_a_story_page_has_share_links_to_the_story(client, home_page):
    index = StoryIndexPageFactory(parent=home_page, slug="geschichten")
    story = StoryPageFactory(parent=index, title="Warum ich hinter dem Büdchen stehe")

    html = client.get(story.url).content.decode()

    [address] = shared_address(share_links(html))
    assert urlsplit(address).path == story.url
    assert "Erzählen Sie es weiter" in html


def test_actions_from_the_hook_stand_right_under_the_merchants_name(client, merchant):
    def actions(page, request):
        return [
            MerchantAction("Gutschein kaufen", f"/kaufen/{page.pk}/", key="voucher"),
            MerchantAction("Mehr", "/mehr/", primary=False),
        ]

    with hooks.register_temporarily(MERCHANT_PAGE_ACTIONS, actions):
        html = client.get(merchant.url).content.decode()

    voucher = re.search(
        r'<a class="button button--primary merchant-action merchant-action--voucher" '
        rf'href="/kaufen/{merchant.pk}/">Gutschein kaufen</a>',
        html,
    )
    assert voucher
    assert '<a class="button button--secondary merchant-action" href="/mehr/">Mehr</a>' in html
    # Under the name, before opening hours, address and contact.
    assert html.index("</h1>") < voucher.start() < html.index('id="hours-heading"')
    assert 'aria-label="Kiosk an der Möllerbrücke unterstützen"' in html


def test_without_actions_there_is_no_empty_bar(client, merchant):
    with hooks.register_temporarily(MERCHANT_PAGE_ACTIONS, lambda page, request: None):
        html = client.get(merchant.url).content.decode()

    assert "merchant-actions" not in html
