"""Merchants download their own bookings as CSV: every ledger entry of their business, the
amounts adding up to the ledger's sums, nothing of another merchant; an editor may download
any merchant's of the pages they may change."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission

from payments import services as payment_services
from payments.models import LedgerEntry
from support import services

from .test_admin import CODE_A, csv_rows, lookup, redeem, world  # noqa: F401

pytestmark = pytest.mark.django_db


def amount(cell: str) -> int:
    return int(Decimal(cell.replace(",", ".")) * 100)


def test_a_merchants_csv_holds_their_ledger_and_nothing_else(world):  # noqa: F811
    page = world["a"].page
    payment_services.refund_create(order=world["donation_a"], amount=500)
    lookup(world["client"], CODE_A)
    redeem(world["client"], "amount", 2750, "10")
    entry = world["voucher_a"].redemptions.get()
    services.voucher_redemption_reverse(
        voucher=world["voucher_a"], merchant=page, entry_id=entry.pk
    )

    response = world["client"].get("/admin/support/income/csv/")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["Datum", "Art", "Betrag (EUR, Dezimalkomma)"]
    ledger = LedgerEntry.objects.filter(merchant=page).order_by("created_at", "pk")
    assert [int(row[-1]) for row in rows] == [e.pk for e in ledger]  # every entry, in order
    assert [amount(row[2]) for row in rows] == [e.amount for e in ledger]
    assert sum(amount(row[2]) for row in rows) == sum(e.amount for e in ledger)
    kinds = [row[1] for row in rows]
    assert "Erstattung" in kinds and "Einlösung" in kinds and "Storno einer Einlösung" in kinds
    [storno] = [row for row in rows if row[1] == "Storno einer Einlösung"]
    assert storno[2] == "10,00" and storno[7] == str(entry.pk)
    # Nothing of the bakery, and no buyer's name or address.
    other = set(LedgerEntry.objects.filter(merchant=world["b"].page).values_list("pk", flat=True))
    assert not other & {int(row[-1]) for row in rows}
    body = response.content.decode()
    assert "Bäckerei" not in body and "max@example.org" not in body and "Max Muster" not in body
    assert (
        "/admin/support/income/csv/"
        in world["client"].get("/admin/support/income/").content.decode()
    )


def test_a_merchant_cannot_download_another_merchants_csv(world):  # noqa: F811
    other = world["b"].page.pk
    response = world["client"].get(f"/admin/support/income/{other}/csv/")
    assert response.status_code in (302, 403)  # Wagtail's refusal: back to the dashboard
    assert "csv" not in response.get("Content-Type", "")
    own = world["client"].get(f"/admin/support/income/{world['a'].page.pk}/csv/")
    assert own.status_code == 200 and own["Content-Type"].startswith("text/csv")
    assert world["client"].get(f"/admin/support/income/{2**70}/csv/").status_code == 404


def test_an_editor_downloads_a_merchant_of_their_city_only(world, django_user_model):  # noqa: F811
    """An editor whose rights end at the kiosk's part of the tree (their city)."""
    kiosk, bakery = world["a"].page, world["b"].page
    editors = Group.objects.create(name="Redaktion Kiosk")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors, page=kiosk, permission=Permission.objects.get(codename="change_page")
    )
    editor = django_user_model.objects.create_user("redaktion", "r@example.org", "pw")
    editor.groups.add(editors)
    client = Client()
    client.force_login(editor)

    response = client.get(f"/admin/support/income/{kiosk.pk}/csv/")
    assert response.status_code == 200
    header, *rows = csv_rows(response)
    assert len(rows) == LedgerEntry.objects.filter(merchant=kiosk).count()
    refused = client.get(f"/admin/support/income/{bakery.pk}/csv/")
    assert refused.status_code in (302, 403)
    assert "csv" not in refused.get("Content-Type", "")
