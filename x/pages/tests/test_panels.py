"""Other apps add panels to the home page through the home_page_panels hook."""

import pytest
from django.utils.html import format_html
from wagtail import hooks

from pages.hooks import HOME_PAGE_PANELS

pytestmark = pytest.mark.django_db


def test_a_panel_from_a_hook_shows_in_the_home_page_hero(client, home_page):
    def panel(page, request):
        return format_html('<p class="hero__extra">Heute für {}</p>', page.title)

    with hooks.register_temporarily(HOME_PAGE_PANELS, panel):
        html = client.get(home_page.url).content.decode()

    hero = html.split('<section class="hero')[1].split("</section>")[0]
    assert '<p class="hero__extra">Heute für Dortmund hält zusammen</p>' in hero
    assert "hero__extra" not in client.get(home_page.url).content.decode()


def test_no_panel_leaves_the_hero_as_it_was(client, home_page):
    with hooks.register_temporarily(HOME_PAGE_PANELS, lambda page, request: None):
        html = client.get(home_page.url).content.decode()
    assert "hero__total" not in html  # nothing raised yet: support adds no headline either
