"""core.fulltext on the database the suite runs on (SQLite FTS5 or PostgreSQL); here, as core's
own tests may import no app."""

import pytest

from core import fulltext
from directory.models import MerchantPage
from directory.tests.factories import MerchantPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchants(directory_page):
    return [
        MerchantPageFactory(parent=directory_page, title=title).pk
        for title in ("Kiosk an der Möllerbrücke", "Zum Anker")
    ]


@pytest.mark.parametrize("folded", ["", " ", "   "])
def test_a_query_folded_to_nothing_leaves_every_candidate(merchants, folded):
    candidates = MerchantPage.objects.live()
    for prefix in (False, True):
        found = fulltext.match(candidates, folded, prefix=prefix)
        assert sorted(found.queryset().values_list("pk", flat=True)) == sorted(merchants)
        assert found.ranked_ids() == sorted(merchants)
        assert found.ranked_ids(limit=1) == sorted(merchants)[:1]


def test_words_still_match_as_before(merchants):
    candidates = MerchantPage.objects.live()
    assert fulltext.match(candidates, "anker").ranked_ids() == [merchants[1]]
    assert fulltext.match(candidates, "kios", prefix=True).ranked_ids() == [merchants[0]]
