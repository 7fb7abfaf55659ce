"""Production settings refuse to start half-configured; the deploy checks pass when configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/15",  # a cache every worker shares
    "PORTAL_BASE_URL": "https://portal.example.org",  # links in mails and on vouchers
    # Real payments: production defaults to Stripe and needs its keys.
    "STRIPE_SECRET_KEY": "sk_live_configured",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_configured",
    "STRIPE_WEBHOOK_SECRET": "whsec_configured",
}


def manage(*args, **env):
    ignored = {
        *CONFIGURED,
        "CACHE_DATABASE_ALLOWED",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # set while browser tests run
    clean = {k: v for k, v in os.environ.items() if k not in ignored}
    clean.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **env)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(CONFIGURED))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in CONFIGURED.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production." in result.stderr


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **CONFIGURED)
    assert result.returncode == 0, result.stderr


def test_production_takes_the_database_cache_when_explicitly_allowed():
    env = {k: v for k, v in CONFIGURED.items() if k != "REDIS_URL"}
    script = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", script, CACHE_DATABASE_ALLOWED="1", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_production_refuses_a_per_process_cache():
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings.production';"
        "import portal.settings.base as base;"
        "base.CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}};"
        "import portal.settings.production"
    )
    clean = {k: v for k, v in os.environ.items() if k not in CONFIGURED}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **CONFIGURED, "CACHE_DATABASE_ALLOWED": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Production needs a cache shared between processes" in result.stderr
