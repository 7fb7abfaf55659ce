"""Every editorial page type lives where the tree rules allow it, and renders what editors
entered. Pages with merchants on them: directory/tests/test_page_types.py."""

import pytest
from wagtail.models import Page

from pages.models import HomePage, StandardPage, StoryIndexPage, StoryPage

from .factories import StandardPageFactory, StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story_index(home_page):
    return StoryIndexPageFactory(parent=home_page, slug="geschichten")


def test_home_page_shows_hero_and_latest_stories(client, home_page, story_index):
    StoryPageFactory(parent=story_index, title="Ein Bier für die Eckkneipe")

    response = client.get(home_page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gemeinsam für unsere Stadt" in html
    assert "Ein Bier für die Eckkneipe" in html
    assert 'property="og:title"' in html


def test_story_index_lists_and_filters_stories(client, story_index):
    StoryPageFactory(parent=story_index, title="Unterstützerin aus dem Theater", kind="supporter")
    StoryPageFactory(parent=story_index, title="Porträt der Bäckerei", kind="portrait")

    html = client.get(story_index.url).content.decode()
    assert "Unterstützerin aus dem Theater" in html and "Porträt der Bäckerei" in html

    html = client.get(story_index.url, {"kind": "portrait"}).content.decode()
    assert "Porträt der Bäckerei" in html
    assert "Unterstützerin aus dem Theater" not in html


def test_standard_page_renders_intro_and_body(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title="Über uns",
        intro="Wer hinter dem Portal steht.",
        body=[("paragraph", "<p>Die Wirtschaftsförderung und viele Helfer.</p>")],
    )
    html = client.get(page.url).content.decode()
    assert "Über uns" in html
    assert "Wer hinter dem Portal steht." in html
    assert "Die Wirtschaftsförderung und viele Helfer." in html


PAGES_PARENTS = {
    HomePage: {Page},
    StoryIndexPage: {HomePage},
    StoryPage: {StoryIndexPage},
    StandardPage: {HomePage, StandardPage},
}


@pytest.mark.parametrize("child", list(PAGES_PARENTS))
def test_tree_rules_of_the_editorial_pages(child):
    """Among pages' own types; directory/tests/test_page_types.py adds the directory's."""
    for parent in [Page, HomePage, StoryIndexPage, StoryPage, StandardPage]:
        allowed = parent in PAGES_PARENTS[child]
        assert (parent in child.allowed_parent_page_models()) is allowed, (child, parent)


def test_home_page_context_comes_from_hooks(rf, home_page):
    """pages knows no directory: what the home page shows of it is added by hook functions."""
    from wagtail import hooks

    from pages.hooks import HOME_PAGE_CONTEXT

    def construct(page, request, context):
        context["merchant_count"] = 42

    with hooks.register_temporarily(HOME_PAGE_CONTEXT, construct):
        context = home_page.get_context(rf.get("/"))
    assert context["merchant_count"] == 42
