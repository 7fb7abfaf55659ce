"""The directory page's list without scanning every merchant on each request.

At 100,000 merchants a COUNT for the paginator and the DISTINCT category, district and
initiative facets each read every merchant (40–400 ms apiece). Their answers change only when
what the map shows changes, so they are cached under the map feed's generation token
(directory.feed.generation(), replaced on every publish, unpublish, move, delete and snippet
edit): a change shows at once, without finding the affected keys. "Open now" counts change with
the clock and live for the current minute only, like the feed's.

The page of 24 itself is read with ORDER BY title over the (title) index of the page table
(pages/migrations/0003_page_tree_indexes.py), so it reads 24 rows instead of sorting them all.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property

from . import feed, offer_flags
from .filters import MerchantFilters
from .models import Category, District, Initiative, MerchantPage

CACHE_SECONDS = 60 * 60


def _key(kind: str, *parts) -> str:
    raw = "|".join(str(part) for part in (feed.generation(), offer_flags.version(), *parts))
    return f"directory-{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(kind: str, parts: tuple, compute):
    key = _key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


class CountedPaginator(Paginator):
    """A Paginator whose count comes from the cache (a callable asked once, when needed)."""

    def __init__(self, object_list, per_page, count_of, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count_of = count_of

    @cached_property
    def count(self):
        return self._count_of()


def paginate(directory, merchants, filters: MerchantFilters, now: datetime, per_page: int, number):
    """The requested page of `merchants` (already filtered and ordered), its count cached."""
    minute = now.strftime("%Y%m%d%H%M") if filters.open_now else ""
    parts = (directory.pk, minute, filters.cache_key_part())
    paginator = CountedPaginator(
        merchants, per_page, lambda: cached("count", parts, merchants.count)
    )
    return paginator.get_page(number)


@dataclass(frozen=True)
class Facets:
    """What the filter form offers: only values some merchant on the map has."""

    categories: list
    districts: list
    initiatives: list
    offer_choices: list  # (key, label) of offers some merchant has


def facets(directory) -> Facets:
    on_map = MerchantPage.objects.live().public().child_of(directory)

    def compute():
        # EXISTS per value stops at the first merchant; DISTINCT over a join read them all.
        def having(model, field):
            return list(model.objects.filter(Exists(on_map.filter(**{field: OuterRef("pk")}))))

        return {
            "categories": having(Category, "category"),
            "districts": having(District, "district"),
            "initiatives": having(Initiative, "initiatives"),
            "offers": [
                flag.key
                for flag in offer_flags.all()
                if on_map.filter(**{flag.field: True}).exists()
            ],
        }

    found = cached("facets", (directory.pk,), compute)
    return Facets(
        categories=found["categories"],
        districts=found["districts"],
        initiatives=found["initiatives"],
        # Labels are read now: they follow the visitor's language.
        offer_choices=[
            (flag.key, flag.label) for flag in offer_flags.all() if flag.key in found["offers"]
        ],
    )


def merchant_count(home) -> int:
    """The live, public merchants below a city's home page (the home page's figure)."""
    return cached(
        "home-count",
        (home.pk,),
        lambda: MerchantPage.objects.live().public().descendant_of(home).count(),
    )
