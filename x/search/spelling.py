"""Typo tolerance: "Pizzaria", "Piza" and "Möllerbrüke" find what was meant ("Meinten Sie …?").

Neither FTS5 nor PostgreSQL's full text forgive a wrong letter. When a query finds no merchant,
each word that is not a known word is compared, with rapidfuzz, to the city's vocabulary: the
folded words of its merchants' names, streets, tags, categories and districts and of its
stories' titles (the words people look for by name). A word within one edit (two from eight
letters on; a swap of neighbours counts as one) is replaced by the closest, most frequent known
word, and the search runs again with the corrected query; the page and the JSON answer say what
was searched instead.

The vocabulary is built once per city, on the first query that needs it (one with no match), kept
in the process and the shared cache until anything published changes (the map's generation
token, plus stories' own token below): one pass over names, streets and tags, each distinct
spelling folded once. A word is compared only with known words of its first letter and about its
length (rapidfuzz, in C), a few milliseconds even for a country-sized vocabulary.
"""

import re
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from rapidfuzz import process
from rapidfuzz.distance import OSA

from core.folding import fold
from directory import feed
from directory.models import Category, District, MerchantPage, MerchantTag
from pages.models import StoryPage

STORIES_KEY = "search-vocabulary-stories"
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away ("bar", "bio", "bus")
_WORD = re.compile(r"\w+")


def max_edits(word: str) -> int:
    return 0 if len(word) < MIN_LENGTH else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Vocabulary:
    counts: Counter  # folded word -> how many names, tags, ... use it
    spellings: dict[str, str]  # folded word -> its most frequent spelling ("mollerbrucke" -> ...)
    # (first letter, length) -> folded words, for the lookup's prefilter: like Elasticsearch's
    # prefix_length=1, the first letter is taken as typed (few typos are there), which spares
    # comparing with twenty-odd other initials' words.
    by_start: dict[tuple[str, int], list[str]]

    @classmethod
    def from_texts(cls, texts) -> "Vocabulary":
        spelt: Counter = Counter(token for text in texts for token in _WORD.findall(text or ""))
        tokens = list(spelt)
        # Each distinct spelling folded once, all in one call while every token stays one word
        # (it does unless a token holds "_" or a character such as "½").
        folded_all = fold(" ".join(tokens)).split()
        if len(folded_all) != len(tokens):
            folded_all = [fold(token) for token in tokens]
        counts: Counter = Counter()
        spellings: dict[str, str] = {}  # the most used spelling of each folded word
        for token, folded in zip(tokens, folded_all, strict=True):
            if not folded or " " in folded:
                continue
            counts[folded] += spelt[token]
            shown = spellings.get(folded)
            if shown is None or spelt[token] > spelt[shown]:
                spellings[folded] = token
        by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in counts:
            by_start[word[0], len(word)].append(word)
        return cls(counts, spellings, dict(by_start))

    def closest(self, word: str) -> str | None:
        """The known word closest to `word` within max_edits(word), the most used one on a tie;
        None when `word` is known or nothing is close enough."""
        edits = max_edits(word)
        if not edits or word in self.counts:
            return None
        choices = [
            known
            for length in range(len(word) - edits, len(word) + edits + 1)
            for known in self.by_start.get((word[0], length), ())
        ]
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if not found:
            return None
        best, _distance, _index = min(found, key=lambda hit: (hit[1], -self.counts[hit[0]], hit[0]))
        return best


@dataclass(frozen=True)
class Correction:
    folded: str  # the corrected query, folded, to search for
    text: str  # what to show: the query with each corrected word as the vocabulary spells it


def correct(vocabulary: Vocabulary, folded_query: str) -> Correction | None:
    """The query with every unknown word replaced by its closest known word; None when no word
    could be corrected."""
    words, shown, changed = [], [], False
    for word in folded_query.split():
        better = vocabulary.closest(word)
        if better:
            changed = True
            words.append(better)
            shown.append(vocabulary.spellings[better])
        else:
            words.append(word)
            shown.append(vocabulary.spellings.get(word, word))
    if not changed:
        return None
    return Correction(" ".join(words), " ".join(shown))


# root page id -> (generation, Vocabulary)
_cache: dict[int, tuple[tuple[str, str], Vocabulary]] = {}


def stories_changed(**kwargs) -> None:
    """A story was published, unpublished or deleted (search/signals.py)."""
    cache.set(STORIES_KEY, secrets.token_hex(8), timeout=None)


def _generation() -> tuple[str, str]:
    stories = cache.get_or_set(STORIES_KEY, lambda: secrets.token_hex(8), timeout=None)
    return feed.generation(), stories


def vocabulary(root) -> Vocabulary:
    """The words people may mean below `root` (a city's home page), kept in each process and in
    the shared cache (one process builds it, the others fetch it) until anything published
    changes."""
    generation = _generation()
    cached = _cache.get(root.pk)
    if cached and cached[0] == generation:
        return cached[1]
    shared_key = f"search-vocabulary:{root.pk}:{':'.join(generation)}"
    shared = cache.get(shared_key)
    if isinstance(shared, Vocabulary):
        _cache[root.pk] = (generation, shared)
        return shared
    merchants = MerchantPage.objects.live().public().descendant_of(root)
    texts = [
        *(text for row in merchants.values_list("title", "street") for text in row),
        *MerchantTag.objects.filter(content_object__in=merchants).values_list(
            "tag__name", flat=True
        ),
        *Category.objects.filter(merchants__in=merchants).distinct().values_list("name", flat=True),
        *District.objects.filter(merchants__in=merchants).distinct().values_list("name", flat=True),
        *StoryPage.objects.live().public().descendant_of(root).values_list("title", flat=True),
    ]
    result = Vocabulary.from_texts(texts)
    _cache[root.pk] = (generation, result)
    cache.set(shared_key, result, timeout=24 * 3600)  # a new generation is a new key
    return result
