"""Anonymous pages a front cache may hold (core/cache_headers.py): no cookie, `Cache-Control:
public`, an ETag and 304 on revalidation; private for anyone logged in; the language switch
works without a CSRF token (core/language.py)."""

import pytest
from django.test import Client

from conftest import make_directory_page, make_home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    return make_directory_page(make_home_page())


def assert_public(response):
    assert response.status_code == 200
    assert not response.cookies, response.cookies  # neither csrftoken nor sessionid
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]  # the language cookie changes the page
    assert response["ETag"]


@pytest.mark.parametrize("which", ["home", "directory"])
def test_anonymous_pages_are_public_with_an_etag_and_revalidate_to_304(directory, which):
    url = "/" if which == "home" else directory.url
    client = Client(enforce_csrf_checks=True)
    first = client.get(url)
    assert_public(first)
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    changed = client.get(url, headers={"if-none-match": '"something-else"'})
    assert changed.status_code == 200
    assert client.head(url)["ETag"] == first["ETag"]


def test_max_age_follows_the_setting(directory, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert "max-age=300" in Client().get("/")["Cache-Control"]


def test_pages_for_a_logged_in_user_are_never_public(directory, django_user_model):
    user = django_user_model.objects.create_user("erika", "erika@example.org", "pw")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    etag = response.get("ETag", '"x"')
    assert client.get("/", headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_session_or_messages_cookie_keeps_pages_private(directory, settings, cookie):
    settings.PAGE_CACHE_SERVER = True
    Client().get("/")  # cached for anonymous visitors
    client = Client()
    client.cookies[cookie] = "whatever"
    response = client.get("/")
    assert "public" not in response.get("Cache-Control", "")


def test_a_page_with_a_csrf_form_sets_its_cookie_and_stays_private(directory):
    response = Client().get("/meine-daten/")  # privacy request form
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "public" not in response.get("Cache-Control", "")


def test_the_admin_and_errors_are_not_public(directory):
    assert "public" not in Client().get("/admin/login/").get("Cache-Control", "")
    missing = Client().get("/no-such-page/")
    assert missing.status_code == 404
    assert "public" not in missing.get("Cache-Control", "")


def test_the_language_switch_works_without_a_csrf_token(directory):
    client = Client(enforce_csrf_checks=True)
    page = client.get(directory.url).content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert "csrfmiddlewaretoken" not in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": directory.url})
    assert response.status_code == 302
    assert response["Location"] == directory.url
    assert response.cookies["django_language"].value == "en"
    english = client.get(directory.url)
    assert '<html lang="en">' in english.content.decode()
    # The page still depends on the cookie only through Vary: Cookie.
    assert "Cookie" in english["Vary"]


def test_the_language_switch_never_sends_visitors_off_site(directory):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_with_page_cache_server_the_next_anonymous_request_skips_the_view(directory, settings):
    settings.PAGE_CACHE_SERVER = True
    client = Client()
    first = client.get(directory.url)
    assert "Betriebe" in first.content.decode()
    # Changed behind Wagtail's back (no publish): the cached page answers.
    type(directory).objects.filter(pk=directory.pk).update(title="Geschäfte")
    again = client.get(directory.url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    assert client.get(directory.url, headers={"if-none-match": first["ETag"]}).status_code == 304
    # In English it is another page.
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(directory.url).content.decode()


def test_publishing_any_page_makes_the_server_cached_pages_stale(directory, settings):
    settings.PAGE_CACHE_SERVER = True
    client = Client()
    assert "Betriebe" in client.get(directory.url).content.decode()
    directory.title = "Geschäfte"
    directory.save_revision().publish()
    assert "Geschäfte" in client.get(directory.url).content.decode()


def test_logged_in_users_never_get_a_server_cached_page(directory, settings, django_user_model):
    settings.PAGE_CACHE_SERVER = True
    Client().get(directory.url)  # cached for anonymous visitors
    user = django_user_model.objects.create_user("erika", "erika@example.org", "pw")
    client = Client()
    client.force_login(user)
    type(directory).objects.filter(pk=directory.pk).update(title="Geschäfte")
    assert "Geschäfte" in client.get(directory.url).content.decode()
