"""The demo provider is for laptops and tests: it refuses to run in production."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments.providers import get_provider
from payments_demo.provider import DemoProvider

pytestmark = pytest.mark.django_db


def test_the_demo_provider_refuses_to_load_in_production(settings, client):
    settings.PAYMENT_DEMO_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        get_provider("demo")
    with pytest.raises(ImproperlyConfigured):
        DemoProvider()
    assert client.get("/zahlung/demo/demo_anything/").status_code == 404


def test_production_settings_refuse_the_demo_provider():
    import subprocess
    import sys

    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "PORTAL_BASE_URL": "https://portal.example.org",
        "PAYMENT_PROVIDER": "demo",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "import django; django.setup(); from payments.providers import get_provider; get_provider()"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "must not run in production" in result.stderr
