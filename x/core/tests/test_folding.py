import pytest

from core.folding import fold


@pytest.mark.parametrize(
    "spelling",
    ["Möllerbrücke", "Moellerbruecke", "Mollerbrucke", "möllerbrücke", "MÖLLERBRÜCKE"],
)
def test_every_spelling_of_an_umlaut_folds_the_same(spelling):
    assert fold(spelling) == "mollerbrucke"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Straße", "strasse"),
        ("Strasse", "strasse"),
        ("Große Heimstraße 28", "grosse heimstrasse 28"),
        ("Café Vincke", "cafe vincke"),
        ('"Kiosk" NEAR -Hörde: *', "kiosk near horde"),
        ("   ", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
