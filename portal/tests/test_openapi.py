"""The API's OpenAPI document says what the API does: schemathesis sends requests built from
the schema (bounded, deterministic) to the project's own WSGI app and checks every answer
against it: no 5xx, documented status codes and content types, bodies matching their schemas."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import make_directory_page, make_home_page
from directory.tests.factories import MerchantPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    directory = make_directory_page(make_home_page())
    for name in ("Kiosk am Markt", "Bäckerei Sonne"):
        MerchantPageFactory(parent=directory, title=name)


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request through the WSGI app must not close the test's
    database connection (on PostgreSQL that ends the test's transaction, and the next request
    fails with "the connection is closed")."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_answers_as_its_schema_says(city, connection_kept):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8  # points, labels, GeoJSON, detail, search, suggest, open data x2

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            # WSGI answers reach the checks as sent: ask for the feed without gzip. A string
            # the schema allows may still name no category or no place (a documented 400):
            # every check but "schema-valid input is accepted".
            case.call_and_validate(
                headers={"Accept-Encoding": "identity"},
                excluded_checks=[positive_data_acceptance],
            )

        answers_as_documented()


def test_the_schema_names_the_feeds_media_type_and_the_required_query():
    document = Client().get("/api/openapi.json").json()
    feed = document["paths"]["/api/map/merchants.geojson"]["get"]["responses"]
    assert list(feed["200"]["content"]) == ["application/geo+json"]
    detail = document["paths"]["/api/map/merchants/{merchant_id}"]["get"]["responses"]
    assert "422" in detail
    search = document["paths"]["/api/search"]["get"]
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q["required"] is True
    ok = search["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SearchOut"}
