"""Partner sites read the public APIs from a browser (CORS for GET, never with cookies); every
other URL - pages, forms, checkout, the admin - stays closed to other origins."""

import pytest

from directory.tests.factories import MerchantPageFactory

pytestmark = pytest.mark.django_db

PARTNER = "https://partner.example"


@pytest.fixture
def merchant(directory_page):
    return MerchantPageFactory(parent=directory_page, title="Kiosk am Markt")


@pytest.mark.parametrize(
    "url",
    [
        "/api/map/points",
        "/api/map/merchants.geojson",
        "/api/search?q=kiosk",
        "/api/search/suggest?q=ki",
        "/api/v2/pages/",
        "/api/openapi.json",
    ],
)
def test_a_public_read_api_answers_another_origin(client, merchant, url):
    response = client.get(url, headers={"Origin": PARTNER})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_merchants_details_answer_another_origin(client, merchant):
    response = client.get(f"/api/map/merchants/{merchant.pk}", headers={"Origin": PARTNER})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_get_is_answered_for_get_only(client, merchant):
    response = client.options(
        "/api/map/points",
        headers={
            "Origin": PARTNER,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "HEAD", "OPTIONS"}
    assert "if-none-match" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize(
    "url",
    [
        "/registrieren/",
        "/admin/login/",
        "/unterstuetzen/1/voucher/",
        "/zahlung/webhook/stripe/",
    ],
)
def test_a_post_from_another_origin_gets_no_cors_header(client, directory_page, url):
    response = client.post(url, {}, headers={"Origin": PARTNER})

    assert "Access-Control-Allow-Origin" not in response


def test_a_preflight_for_a_form_is_not_answered(client, directory_page):
    response = client.options(
        "/registrieren/",
        headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST"},
    )

    assert "Access-Control-Allow-Origin" not in response


def test_a_page_gets_no_cors_header(client, merchant):
    response = client.get(merchant.url, headers={"Origin": PARTNER})

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
