"""German text helpers shared by the apps."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slugify(value: str) -> str:
    """Slug the way Germans spell without umlauts: "Hörde" -> "hoerde", "Straße" -> "strasse"."""
    return slugify(value.translate(GERMAN_TRANSLITERATION))
