"""An operator's afternoon in a real browser: a superuser creates Bochum in the admin, imports a
partner's CSV with one likely duplicate and two bad rows, decides the duplicate, and the
merchants are on Bochum's map, not on Dortmund's."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from directory.geo import format_point
from directory.models import DirectoryPage, ImportCandidate, MerchantPage
from directory.tests.factories import MerchantPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "\n".join(
    [
        "Name;Straße;PLZ;Ort;Breitengrad;Längengrad;Kategorie;ID",
        "Kaffeerösterei Bermuda;Kortumstraße 12;44787;Bochum;51,4810;7,2170;Café;b1",
        "Büdchen am Bergbaumuseum;Am Bergbaumuseum 2;44791;Bochum;51,4890;7,2170;Kiosk;b2",
        "Kortum Café Bar;Kortumstraße 40;44787;Bochum;51,48152;7,21621;Café;b3",  # likely duplicate
        ";Ohne Namen 1;44787;Bochum;51,4810;7,2160;Café;b4",  # no name
        "Kiosk Berlin;Unter den Linden 1;10117;Berlin;52,5170;13,3889;Kiosk;b5",  # not in Bochum
    ]
)


def test_a_superuser_creates_a_city_and_imports_its_partners(demo_city, live_server, visit):
    get_user_model().objects.create_superuser("betrieb", "op@example.org", "Betrieb-2026")
    base = live_server.url
    # Bochum answers at 127.0.0.1 (same server); Dortmund, the demo city, at localhost.
    bochum_base = base.replace("localhost", "127.0.0.1")
    tab = visit({"width": 1366, "height": 900}, allow_hosts=(urlsplit(bochum_base).netloc,))
    page = tab.page

    page.goto(base + "/admin/login/")
    page.fill("#id_username", "betrieb")
    page.fill("#id_password", "Betrieb-2026")
    page.locator("form button[type=submit]").click()

    page.goto(base + "/admin/cities/new/")
    page.fill("#id_name", "Bochum")
    page.fill("#id_hostname", "127.0.0.1")
    page.fill("#id_latitude", "51.4818")
    page.fill("#id_longitude", "7.2162")
    page.fill("#id_zoom", "13")
    page.get_by_role("button", name="Stadt anlegen").click()
    expect(page.locator(".messages")).to_contain_text("Bochum")

    # Already on Bochum's map before the import: the likely duplicate's other half.
    directory = DirectoryPage.objects.get(url_path__startswith="/bochum/")
    MerchantPageFactory(
        parent=directory,
        title="Kortum Café",
        city="Bochum",
        location=format_point("51.4815", "7.2162"),
    )

    page.goto(base + "/admin/imports/")
    page.select_option("#id_site", label="Bochum")
    page.fill("#id_name", "Bochum hilft")
    page.select_option("#id_format", "csv")
    page.set_input_files(
        "#id_file", {"name": "bochum.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-count=review]")).to_have_text("1")
    expect(page.locator("[data-count=error]")).to_have_text("2")
    expect(page.locator(".import-problems li")).to_have_count(2)
    assert MerchantPage.objects.filter(title="Kaffeerösterei Bermuda").count() == 0  # dry run
    tab.screenshot("import-preview-1366")

    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.locator("[data-count=created]")).to_have_text("2")
    page.goto(base + "/admin/imports/review/")
    expect(page.locator(".import-candidate")).to_have_count(1)
    expect(page.locator(".import-candidate")).to_contain_text("Kortum Café Bar")
    expect(page.locator(".import-candidate")).to_contain_text("Kortum Café")
    page.get_by_role("button", name="Anderer Betrieb: anlegen").click()
    expect(page.locator(".import-candidate")).to_have_count(0)
    assert ImportCandidate.objects.get().status == "created"

    names = {"Kaffeerösterei Bermuda", "Büdchen am Bergbaumuseum", "Kortum Café Bar"}

    def on_map(city_base):
        feed = page.request.get(city_base + "/api/map/merchants.geojson").json()
        return {feature["properties"]["name"] for feature in feed["features"]}

    assert names <= on_map(bochum_base)
    assert not names & on_map(base)

    page.goto(bochum_base + "/betriebe/")
    expect(page.locator("#map-status")).to_have_text("4 Betriebe auf der Karte")
    expect(page.locator("body")).not_to_contain_text("Dortmund")
    tab.screenshot("bochum-map-1366")
    assert not tab.console_errors
