"""One spelling for German words, used on both sides of every search.

People type "Möllerbrücke", "Moellerbruecke", "Mollerbrucke" or "möllerbrücke"; "Straße" or
"Strasse". Neither SQLite's FTS5 nor PostgreSQL maps ä to ae or ß to ss, so the project folds
text itself: the indexed fields store the folded text (FoldedSearchField) and every query is
folded the same way before it reaches the backend. Folding both sides identically makes the
database backends behave the same, and leaves only letters, digits and spaces in the query, so
no FTS syntax ("NEAR", quotes, "*", "-", ":") ever reaches the database.
"""

import re
import unicodedata

from django.db import connection
from modelsearch import index

_SHARP_S = str.maketrans({"ß": "ss", "ẞ": "ss"})
_DIGRAPHS = re.compile(r"(?<=[aou])e")  # ae -> a, oe -> o, ue -> u (after removing umlauts)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """ "Möllerbrücke", "Moellerbruecke" and "MOLLERBRUCKE" all become "mollerbrucke"."""
    text = unicodedata.normalize("NFKD", str(text).translate(_SHARP_S).lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _DIGRAPHS.sub("", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _fold_value(value):
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_fold_value(item) for item in value]
    return fold(value)


# Field weights in four levels, as PostgreSQL's tsvectors have four labels (A-D). Wagtail's
# PostgreSQL backend spreads the labels evenly between the project's highest and lowest boost
# (Page's own title boost of 2 included): 10 -> A, 7 -> B, 4 -> C, 1 -> D.
NAME, PLACE, DETAIL, TEXT = 10, 7, 4, 1  # name; category, district; street, tags, intro; story


class FoldedSearchField(index.SearchField):
    """A SearchField whose indexed text is folded (see fold()).

    SQLite's FTS5 index keeps every field but the title in one body column, so there a
    field's boost becomes term frequency: its text is indexed `boost` times, which bm25 ranks
    higher. PostgreSQL labels each field's words with its weight instead.
    """

    def get_value(self, obj):
        value = _fold_value(super().get_value(obj))
        if value and self.field_name != "title" and connection.vendor == "sqlite":
            value = _repeated(value, int(self.boost or 1))
        return value


def _repeated(value, times: int):
    return value * times if isinstance(value, list) else " ".join([value] * times)


class FoldedAutocompleteField(index.AutocompleteField):
    """An AutocompleteField whose indexed text is folded, for prefixes typed either way."""

    def get_value(self, obj):
        return _fold_value(super().get_value(obj))
