"""The backup drill (deploy/backup-drill) on PostgreSQL: a committed world of paid orders, a
voucher with a redemption, a refund and an unpaid order is dumped, restored into a fresh
database and counted on both sides; a stale dump is caught."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from directory.tests.factories import MerchantPageFactory
from payments import services as payment_services
from support import services
from support.models import Voucher

from .conftest import pay_with_demo

DRILL = Path(settings.BASE_DIR) / "deploy" / "backup-drill"

pytestmark = [
    # Migrations made the root page and the locale: keep them for every test here.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL (make test on PG)"
    ),
]


def database_url(name=None) -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    return (
        f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"
    )


def drill(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(DRILL), database_url(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def figure_lines(output: str) -> dict[str, str]:
    """Each figure printed for the source: '=' if the restored side is equal, else its figure."""
    lines = {}
    for line in output.splitlines():
        if match := re.match(r"^  (.*?)\s+(=|≠)  (.*)$", line):
            left, mark, right = match.groups()
            lines[left] = "=" if mark == "=" else right
    return lines


@pytest.fixture
def world(merchant, site, buyer, directory_page):
    MerchantPageFactory(parent=directory_page, title="Bäckerei Kaya")
    draft = MerchantPageFactory(parent=directory_page, title="Noch nicht frei")
    draft.unpublish()
    first = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(first)
    second = services.order_voucher(merchant=merchant, amount=1000, buyer=buyer, site=site)
    pay_with_demo(second)
    donation = services.order_donation(merchant=merchant, amount=350, buyer=buyer, site=site)
    pay_with_demo(donation)
    services.order_donation(merchant=merchant, amount=700, buyer=buyer, site=site)  # unpaid
    first.refresh_from_db()
    services.voucher_redeem(voucher=first.voucher, merchant=merchant, amount=500)
    payment_services.refund_create(order=second, amount=second.amount)
    return merchant


def test_restored_database_has_the_same_figures(world):
    target = f"{connection.settings_dict['NAME']}_drilltest"

    result = drill("--target", target)

    assert result.returncode == 0, result.stdout + result.stderr
    figures = figure_lines(result.stdout)
    # Non-trivial figures, equal on both sides: payments 25 € + 10 € + 3.50 €, one redemption
    # of 5 €, the 10 € refund; two vouchers, 27.50 € - 5 € left of them (the refunded one 0);
    # three merchant pages, two live; three paid orders (one refunded) and one pending.
    assert figures["payment | EUR | 3 | 3850"] == "="
    assert figures["redemption | EUR | 1 | -500"] == "="
    assert figures["refund | EUR | 1 | -1000"] == "="
    balance = sum(voucher.balance() for voucher in Voucher.objects.all())
    assert balance == 2250  # the model's own balance, which the drill's SQL must match
    assert figures[f"EUR | 2 | 3850 | {balance}"] == "="
    assert figures["3 | 2"] == "="
    assert figures["paid | 2 | 2850"] == "="
    assert figures["pending | 1 | 700"] == "="
    assert figures["refunded | 1 | 1000"] == "="
    assert "≠" not in figures.values()
    assert "backup drill passed" in result.stdout
    assert not database_exists(target)


def test_a_stale_dump_fails_the_drill(world, site, buyer, tmp_path):
    dump = tmp_path / "last-night.dump"
    assert drill("--keep-dump", str(dump)).returncode == 0
    later = services.order_voucher(merchant=world, amount=5000, buyer=buyer, site=site)
    pay_with_demo(later)

    result = drill("--dump", str(dump))

    assert result.returncode == 1, result.stdout + result.stderr
    figures = figure_lines(result.stdout)
    assert figures["payment | EUR | 4 | 8850"] == "payment | EUR | 3 | 3850"
    assert figures["paid | 3 | 7850"] == "paid | 2 | 2850"
    assert figures["3 | 2"] == "="  # the merchants did not change
    assert "ledger (cents) per kind, currency: DIFFERENT" in result.stdout
    assert "backup drill FAILED" in result.stderr
