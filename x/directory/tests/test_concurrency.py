"""Two editors at once, on PostgreSQL (SQLite serialises every write, so it cannot race)."""

import pytest
from django.db import connection

from core.testing import run_at_once
from directory import accounts
from directory.models import MerchantAccount, Registration

from .conftest import verified_claims
from .factories import MerchantPageFactory

pytestmark = [
    # Migrations made the root page, the locale and the groups: keep them for every test here.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test on PG)"
    ),
]


def test_two_claims_of_one_entry_approved_at_once(client, directory_page, reviewer):
    page = MerchantPageFactory(parent=directory_page, title="Zum Anker")
    claims = verified_claims(client, page, ("eins@example.org", "zwei@example.org"))

    results = run_at_once(2, lambda i: accounts.approve(claims[i].pk, reviewer))

    approved = [r for r in results if isinstance(r, MerchantAccount)]
    refused = [r for r in results if isinstance(r, accounts.DecisionError)]
    assert (len(approved), len(refused)) == (1, 1), results
    assert "gehört bereits zu einem Betriebskonto" in str(refused[0])
    assert MerchantAccount.objects.get().page_id == page.pk
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == [Registration.Status.APPROVED, Registration.Status.PENDING]
