"""Templates obey the apps' dependency rules too (design.md): a page, directory or search
template loads no tag library of an app above it; those apps contribute through hooks."""

import re
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.conf import settings

LOWER = ["pages", "directory", "search"]
HIGHER = ["support", "payments", "events", "shop"]  # events and shop do not exist yet
LOAD = re.compile(r"{%\s*load\s+([^%]*?)\s*%}")


def libraries_of(app: str) -> set[str]:
    spec = find_spec(app)
    if spec is None or not spec.submodule_search_locations:
        return set()
    folder = Path(next(iter(spec.submodule_search_locations))) / "templatetags"
    return {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}


@pytest.mark.parametrize("app", LOWER)
def test_lower_templates_load_no_library_of_a_higher_app(app):
    forbidden = set().union(*(libraries_of(higher) for higher in HIGHER))
    assert "money_tags" in forbidden or "support_tags" in forbidden  # the check can fail
    templates = Path(settings.BASE_DIR, "templates", app)
    offending = [
        (path.name, library)
        for path in templates.rglob("*.html")
        for loaded in LOAD.findall(path.read_text())
        for library in loaded.split()
        if library in forbidden
    ]
    assert offending == []
