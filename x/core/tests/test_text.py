import pytest

from core.text import german_slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Hörde", "hoerde"),
        ("Kneipe/Bar", "kneipebar"),
        ("Künstler*in", "kuenstlerin"),
        ("Theater & Kultur", "theater-kultur"),
        ("Große Straße", "grosse-strasse"),
    ],
)
def test_german_slugify(name, slug):
    assert german_slugify(name) == slug
