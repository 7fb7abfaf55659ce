"""Before an editor hands a listed page (with its income and redemptions) to whoever claims it,
the review shows the entry's own phone, e-mail and website beside the claimant's."""

import re

import pytest

from .conftest import verified_claims
from .factories import MerchantPageFactory

pytestmark = pytest.mark.django_db


def review_rows(client, moderator, registration) -> dict[str, list[str]]:
    client.force_login(moderator)
    response = client.get(f"/admin/registrations/{registration.pk}/")
    assert response.status_code == 200
    table = re.search(
        r'<table class="listing claim-evidence">(.*?)</table>', response.content.decode(), re.S
    )
    assert table, "the claim review shows no comparison"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_listed_contact_details_stand_beside_the_claimants(client, directory_page, moderator):
    page = MerchantPageFactory(
        parent=directory_page,
        title="Zum Anker",
        phone="+49 231 98 76 54",
        email="info@zum-anker.de",
        website="https://www.zum-anker.de/",
    )
    (claim,) = verified_claims(client, page, ["wirt@freemail.example"])
    rows = review_rows(client, moderator, claim)
    assert rows["Telefon"] == ["0231 123456", "+49 231 98 76 54", "nein"]
    assert rows["E-Mail"] == ["wirt@freemail.example", "info@zum-anker.de", "nein"]
    assert rows["Website"] == ["@freemail.example", "https://www.zum-anker.de/", "nein"]
    # The editor can call the listed number with one tap.
    page_html = client.get(f"/admin/registrations/{claim.pk}/").content.decode()
    assert 'href="tel:02319876540"' not in page_html and 'href="tel:0231987654"' in page_html


def test_details_that_agree_are_marked(client, directory_page, moderator):
    page = MerchantPageFactory(
        parent=directory_page,
        title="Zum Anker",
        phone="0231/123456",
        email="",
        website="https://zum-anker.de",
    )
    (claim,) = verified_claims(client, page, ["wirt@zum-anker.de"])
    rows = review_rows(client, moderator, claim)
    assert rows["Telefon"][2] == "ja"  # same number, written differently
    assert rows["E-Mail"] == ["wirt@zum-anker.de", "–", "nichts hinterlegt"]
    assert rows["Website"][2] == "ja"  # an address at the listed website's domain


def test_a_new_registration_has_nothing_to_compare(client, moderator, register):
    registration = register()
    client.force_login(moderator)
    response = client.get(f"/admin/registrations/{registration.pk}/")
    assert response.status_code == 200
    assert "claim-evidence" not in response.content.decode()
