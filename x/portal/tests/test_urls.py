"""Each app owns its URLs under its own namespace; the public paths stay as they were."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse

PATHS = [
    ("search:search", [], "/suche/"),
    ("search:search-en", [], "/search/"),
    ("directory:embed-map", [], "/embed/map/"),
    ("directory:register", [], "/registrieren/"),
    ("directory:register-en", [], "/register/"),
    ("directory:registration-sent", [], "/registrieren/gesendet/"),
    ("directory:registration-verify", ["abc:def"], "/registrieren/bestaetigen/abc:def/"),
    ("directory:registration-claim", [7], "/registrieren/eintrag/7/"),
]


@pytest.mark.parametrize(("name", "args", "path"), PATHS)
def test_namespaced_names_keep_the_public_paths(name, args, path):
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert match.app_name == name.split(":")[0]
    assert match.view_name == name


@pytest.mark.parametrize("name", ["search", "register", "embed-map", "registration-sent"])
def test_names_without_their_app_are_gone(name):
    with pytest.raises(NoReverseMatch):
        reverse(name)
