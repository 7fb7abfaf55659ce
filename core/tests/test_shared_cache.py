"""Without REDIS_URL the default cache is shared between processes (the database cache): a
rate-limit count and a value set in one process are seen by the next, as by another worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

COUNT = """
from django.core.cache import cache
from django.test import RequestFactory
from core.ratelimit import over_limit
request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.30")
print([over_limit(request, "balance", limit=4) for _ in range({attempts})])
print(cache.get_or_set("map-generation", "{token}"))
"""


@pytest.fixture
def dev_process(tmp_path):
    """Runs manage.py with the development settings on a SQLite file of its own, no Redis."""
    ignored = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}",
    )

    def manage(*args):
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()

    manage("createcachetable")
    return manage


def test_two_processes_share_rate_limit_counts_and_values(dev_process):
    first = dev_process("shell", "--no-imports", "-c", COUNT.format(attempts=3, token="first"))
    assert first == ["[False, False, False]", "first"]
    second = dev_process("shell", "--no-imports", "-c", COUNT.format(attempts=3, token="second"))
    # The second process goes on counting where the first stopped (4 allowed), and finds the
    # token the first one set.
    assert second == ["[False, True, True]", "first"]
