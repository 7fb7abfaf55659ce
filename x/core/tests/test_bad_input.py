"""Odd input gets a 4xx, never a 500 (core/converters.py, core/middleware.py,
core/search_backend.py). Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from conftest import make_directory_page, make_home_page

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "99999999999999999999999"


@pytest.fixture
def admin(admin_user):
    make_directory_page(make_home_page())
    Image.objects.create(title="Kiosk innen", file=get_test_image_file())
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (f"/api/map/merchants/{BEYOND_64_BITS}", 422),
        (f"/unterstuetzen/{BEYOND_64_BITS}/gutschein/", 404),
        (f"/registrieren/eintrag/{BEYOND_64_BITS}/", 404),
    ],
)
def test_an_id_beyond_64_bits_is_not_found_or_refused(admin, url, status):
    response = Client().get(url)
    assert response.status_code == status
    if url.startswith("/api/"):
        assert response.json()["error"] == "merchant_id"


def test_an_18_digit_id_still_reaches_the_views():
    assert Client().get("/registrieren/eintrag/999999999999999999/").status_code == 404
    assert Client().get("/unterstuetzen/999999999999999999/gutschein/").status_code == 404


NUL = [
    "/api/v2/pages/?search=a%00b",
    "/api/v2/images/?search=%00",
    "/api/v2/documents/?search=%00",
    "/api/search?q=Kiosk%00",
    "/api/search/suggest?q=Ki%00",
    "/api/map/merchants.geojson?q=Kiosk%00",
    "/suche/?q=Kiosk%00",
    "/admin/pages/search/?q=a%00",
    "/admin/choose-page/search/?q=a%00",
    "/admin/images/?q=a%00",
    "/admin/images/chooser/results/?q=a%00",
    "/admin/documents/?q=a%00",
    "/admin/users/?q=a%00",
]


@pytest.mark.parametrize("url", NUL)
def test_a_nul_byte_in_a_query_is_a_bad_request(admin, url):
    response = admin.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json() == {
            "error": "bad_request",
            "detail": "Die Anfrage enthält ein NUL-Zeichen.",
        }


def test_a_nul_byte_in_a_form_is_a_bad_request(admin):
    response = admin.post("/registrieren/", {"business_name": "Kiosk\x00", "email": "a@b.de"})
    assert response.status_code == 400


def test_a_form_without_nul_bytes_reaches_its_view(admin):
    response = admin.post("/registrieren/", {"business_name": "Kiosk", "email": "a@b.de"})
    assert "NUL" not in response.content.decode()
    assert 'value="Kiosk"' in response.content.decode()  # the form, shown again with errors


QUOTES = [
    "/admin/choose-page/search/?q=%22",
    "/admin/choose-page/search/?q=%22Kiosk",
    "/admin/pages/search/?q=%22%22%22",
    "/admin/images/chooser/results/?q=%22",
    "/admin/images/?q=Kiosk%22innen",
    "/api/v2/pages/?search=%22",
    "/api/v2/pages/?search=Kiosk%22",
    "/api/v2/images/?search=%22",
]


@pytest.mark.parametrize("url", QUOTES)
def test_a_double_quote_in_a_search_is_searched_for(admin, url):
    assert admin.get(url).status_code == 200


def test_a_search_with_a_quote_still_finds(admin):
    results = admin.get("/admin/images/chooser/results/?q=Kiosk%22").content.decode()
    assert "Kiosk innen" in results
