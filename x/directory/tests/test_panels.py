"""Other apps add panels to a merchant's page through the merchant_page_panels hook."""

import pytest
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component

from directory.hooks import MERCHANT_PAGE_PANELS

from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db


class Greeting(Component):
    def __init__(self, name):
        self.name = name

    def render_html(self, parent_context=None):
        return format_html('<p class="greeting">Hallo {}!</p>', self.name)


@pytest.fixture
def merchant(directory_page):
    return MerchantPageFactory(parent=directory_page, title="Kiosk an der Möllerbrücke")


def test_a_panel_from_a_hook_shows_on_the_merchant_page(client, merchant):
    seen = []

    def panel(page, request):
        seen.append((page.pk, request.path))
        return format_html('<section class="panel" id="fremd">Für {}</section>', page.title)

    with hooks.register_temporarily(MERCHANT_PAGE_PANELS, panel):
        html = client.get(merchant.url).content.decode()

    assert '<section class="panel" id="fremd">Für Kiosk an der Möllerbrücke</section>' in html
    assert seen == [(merchant.pk, merchant.url)]
    assert 'id="fremd"' not in client.get(merchant.url).content.decode()


def test_panels_may_be_components_plain_text_or_nothing(client, merchant):
    panels = [
        lambda page, request: Greeting(page.title),
        lambda page, request: "<b>nicht fett</b>",  # not marked safe: escaped
        lambda page, request: None,
    ]
    with hooks.register_temporarily([(MERCHANT_PAGE_PANELS, fn) for fn in panels]):
        html = client.get(merchant.url).content.decode()

    assert '<p class="greeting">Hallo Kiosk an der Möllerbrücke!</p>' in html
    assert "&lt;b&gt;nicht fett&lt;/b&gt;" in html
    assert "<b>nicht fett</b>" not in html
