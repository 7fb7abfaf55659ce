"""Merchant A can touch A's page and nothing else: every cell of the matrix, on the server.

Wagtail answers a refused admin request with 403, 404 or a redirect to the dashboard; each
cell also checks that nothing changed and that none of B's data was shown, and that an editor
sending the same request is not refused (so the cell cannot pass on a wrong address).
"""

import copy
import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from conftest import make_directory_page, make_home_page
from directory.models import Category, MerchantPage, Registration
from pages.tests.factories import HomePageFactory

from .conftest import approved_merchant, form_data, kept_for_the_module, make_reviewer
from .factories import DirectoryPageFactory, MerchantPageFactory

pytestmark = pytest.mark.django_db


SECRETS = ("beta@example.org", "gamma@example.org", "Beta Brötchen", "Delta im Entwurf")


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """Merchants A and B (B's page live, with an image, a change of B's waiting for review),
    a draft page nobody has published, a pending registration, an editor, a second city: built
    once for the module (registering and approving over HTTP takes a while)."""
    with kept_for_the_module(django_db_blocker):
        directory_page = make_directory_page(make_home_page())
        reviewer = make_reviewer()
        client = Client()
        a = approved_merchant(client, reviewer, "Kiosk Alpha", "alpha@example.org")
        b = approved_merchant(client, reviewer, "Bäckerei Beta", "beta@example.org")
        b_page = b.page.specific
        b_page.save_revision().publish()
        b_page.get_workflow().start(b_page, b.user)
        b_image = Image.objects.create(
            title="Beta Brötchen", file=get_test_image_file(), collection=b.collection
        )
        draft = MerchantPageFactory(parent=directory_page, title="Delta im Entwurf", live=False)
        draft.save_revision()  # the most recently edited page
        other_city = HomePageFactory(
            parent=Page.get_first_root_node(), title="Bochum", slug="bochum"
        )
        other_directory = DirectoryPageFactory(parent=other_city, slug="betriebe-bochum")
        Client().post(
            "/registrieren/",
            form_data(email="gamma@example.org", business_name="Gamma", street="G 1"),
        )
        yield {
            "a": a,
            "b": b,
            "b_image": b_image,
            "gamma": Registration.objects.get(email="gamma@example.org"),
            "draft": draft,
            "reviewer": reviewer,
            "directory": directory_page,
            "other_directory": other_directory,
        }


@pytest.fixture
def world(built_world):
    """The module's world for one test: its own copies of the objects (as setUpTestData gives)
    and its own clients, signed in as the editor and as merchant A."""
    world = copy.deepcopy(built_world)
    world["editor"] = Client()
    world["editor"].force_login(world["reviewer"])
    world["client"] = Client()
    world["client"].force_login(world["a"].user)
    return world


def edit_form(client, page) -> dict:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["story-count"] = "0"  # StreamFields are drawn by JavaScript: post an empty one
    return data


def refused(response) -> bool:
    """403, 404, 405, or Wagtail's redirect to the dashboard (or to the login) that comes with
    "Sorry, you do not have permission": no other redirect counts."""
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and (
        response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    )


def b_state(world):
    page = MerchantPage.objects.get(pk=world["b"].page.pk)
    return (
        page.title,
        page.live,
        page.path,
        page.latest_revision_id,
        Image.objects.filter(pk=world["b_image"].pk).exists(),
        Category.objects.count(),
        Registration.objects.get(pk=world["gamma"].pk).status,
    )


# (what, method, url, data) against B's page and everything that is not A's.
REFUSED = [
    ("edit B", "get", "/admin/pages/{b}/edit/", None),
    ("save B", "post", "/admin/pages/{b}/edit/", "b-form"),
    ("publish B", "post", "/admin/pages/{b}/edit/", "b-publish"),
    ("preview B", "post", "/admin/pages/{b}/edit/preview/", "b-form"),
    ("view B's draft", "get", "/admin/pages/{b}/view_draft/", None),
    ("unpublish B", "post", "/admin/pages/{b}/unpublish/", {}),
    ("delete B", "post", "/admin/pages/{b}/delete/", {}),
    ("move B", "post", "/admin/pages/{b}/move/{other_directory}/confirm/", {}),
    (
        "copy B",
        "post",
        "/admin/pages/{b}/copy/",
        {"new_title": "X", "new_slug": "x", "new_parent_page": "{directory}"},
    ),
    ("B's history", "get", "/admin/pages/{b}/history/", None),
    ("B's revisions", "get", "/admin/pages/{b}/revisions/{b_revision}/view/", None),
    ("revert B", "post", "/admin/pages/{b}/revisions/{b_revision}/revert/", "b-form"),
    ("B's workflow history", "get", "/admin/pages/{b}/workflow_history/", None),
    ("lock B", "post", "/admin/pages/{b}/lock/", {}),
    ("B's privacy", "post", "/admin/pages/{b}/privacy/", {"restriction_type": "login"}),
    ("add a page", "get", "/admin/pages/add/directory/merchantpage/{directory}/", None),
    ("B's image", "get", "/admin/images/{b_image}/", None),
    ("change B's image", "post", "/admin/images/{b_image}/", {"title": "Gekapert"}),
    ("delete B's image", "post", "/admin/images/{b_image}/delete/", {}),
    ("B in the admin API", "get", "/admin/api/main/pages/{b}/", None),
    ("categories", "get", "/admin/snippets/directory/category/", None),
    ("add a category", "post", "/admin/snippets/directory/category/add/", {"name": "Neu"}),
    ("initiatives", "get", "/admin/snippets/directory/initiative/", None),
    ("city settings", "get", "/admin/settings/pages/citysettings/{site}/", None),
    ("users", "get", "/admin/users/", None),
    ("groups", "get", "/admin/groups/", None),
    ("registrations", "get", "/admin/registrations/", None),
    ("a registration", "get", "/admin/registrations/{gamma}/", None),
    ("approve a registration", "post", "/admin/registrations/{gamma}/", {"decision": "approve"}),
    ("merchant accounts", "get", "/admin/merchant-accounts/", None),
    ("B's account", "post", "/admin/merchant-accounts/{b_account}/", {}),
    ("workflows", "get", "/admin/workflows/list/", None),
    ("workflow report", "get", "/admin/reports/workflow/", None),
    ("workflow task report", "get", "/admin/reports/workflow_tasks/", None),
    ("page types report", "get", "/admin/reports/page-types-usage/", None),
    ("choose among a draft's children", "get", "/admin/choose-page/{draft}/", None),
    ("a draft as chosen", "get", "/admin/choose-page/chosen-multiple/?id={draft}", None),
]


@pytest.mark.parametrize(("what", "method", "url", "data"), REFUSED, ids=[r[0] for r in REFUSED])
def test_merchant_a_is_refused_everything_not_theirs(world, what, method, url, data):
    b = world["b"]
    names = {
        "b": b.page.pk,
        "b_revision": b.page.specific.latest_revision_id,
        "b_image": world["b_image"].pk,
        "b_account": b.pk,
        "other_directory": world["other_directory"].pk,
        "directory": world["directory"].pk,
        "gamma": world["gamma"].pk,
        "draft": world["draft"].pk,
        "site": Site.objects.get(is_default_site=True).pk,
    }
    url = url.format(**names)
    if isinstance(data, dict):
        data = {key: value.format(**names) for key, value in data.items()}
    if data in ("b-form", "b-publish"):
        form = edit_form(world["editor"], b.page)
        form["title"] = "Gekapert"
        if data == "b-publish":
            form["action-publish"] = "action-publish"
        data = form
    before = b_state(world)

    response = getattr(world["client"], method)(url, data or {})

    assert refused(response), f"{what}: {response.status_code} {response.get('Location')}"
    assert b_state(world) == before, what
    body = text_of(response)
    for secret in SECRETS:
        assert secret not in body, f"{what} shows {secret}"
    # The same request from an editor goes through: the refusal is about A's rights.
    allowed = getattr(world["editor"], method)(url, data or {})
    assert not refused(allowed), f"{what} refused to an editor: {allowed.status_code}"


# (what, url, query, what A sees there of their own, what an editor sees there of others')
LISTS = [
    ("page explorer", "/admin/pages/{directory}/", {}, "Kiosk Alpha", "Delta im Entwurf"),
    ("page search", "/admin/pages/search/", {"q": "Delta"}, None, "Delta im Entwurf"),
    ("images", "/admin/images/", {}, None, "Beta Brötchen"),
    ("image chooser", "/admin/images/chooser/", {}, None, "Beta Brötchen"),
    ("admin API", "/admin/api/main/pages/", {"search": "Delta"}, None, "Delta im Entwurf"),
    ("page chooser", "/admin/choose-page/{directory}/", {}, "Kiosk Alpha", "Delta im Entwurf"),
    ("page chooser search", "/admin/choose-page/search/", {"q": "Delta"}, None, "Delta im Entwurf"),
    ("page chooser search, own", "/admin/choose-page/search/", {"q": "Kiosk"}, "Kiosk Alpha", None),
]


def text_of(response) -> str:
    """The body as a person reads it (JSON answers escape umlauts otherwise)."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.mark.parametrize(
    ("what", "url", "query", "own", "others"), LISTS, ids=[r[0] for r in LISTS]
)
def test_lists_and_search_show_merchant_a_nothing_of_others(world, what, url, query, own, others):
    url = url.format(directory=world["directory"].pk)
    response = world["client"].get(url, query, follow=True)
    assert response.status_code == 200, what
    body = text_of(response)
    for secret in SECRETS:
        assert secret not in body, f"{what} shows {secret}"
    if own:
        assert own in body, what
    if others:  # an editor's list shows it: the cell looks where the secret would be
        assert others in text_of(world["editor"].get(url, query, follow=True)), what


def test_the_reports_menu_offers_merchants_none_of_wagtails_reports(world):
    merchant = world["client"].get("/admin/").content.decode()
    editor = world["editor"].get("/admin/").content.decode()
    for report in ("/admin/reports/workflow/", "/admin/reports/page-types-usage/"):
        assert report not in merchant
        assert report in editor


def test_the_images_api_lists_only_images_that_public_pages_show(world):
    b_page = MerchantPage.objects.get(pk=world["b"].page.pk)
    shown = Image.objects.create(
        title="Beta Laden", file=get_test_image_file(), collection=world["b"].collection
    )
    b_page.hero_image = shown
    b_page.save_revision().publish()
    draft = world["a"].page.specific
    unpublished = Image.objects.create(
        title="Alpha Entwurf", file=get_test_image_file(), collection=world["a"].collection
    )
    draft.hero_image = unpublished
    draft.save_revision()

    listing = Client().get("/api/v2/images/").json()
    assert [item["title"] for item in listing["items"]] == ["Beta Laden"]
    assert Client().get(f"/api/v2/images/{shown.pk}/").status_code == 200
    for hidden in (world["b_image"], unpublished):
        assert Client().get(f"/api/v2/images/{hidden.pk}/").status_code == 404


# --- A's own page with B's data -----------------------------------------------------------

IMAGE_FIELDS = [
    ("B's image as the large photo", "hero_image"),
    ("B's image as the logo", "logo"),
    ("B's image in the gallery", "gallery_images-0-image"),
]


def with_image(form: dict, field: str, image) -> dict:
    if field.startswith("gallery_images-"):
        form.update(
            {
                "gallery_images-TOTAL_FORMS": "1",
                "gallery_images-INITIAL_FORMS": "0",
                "gallery_images-0-id": "",
                "gallery_images-0-caption": "",
                "gallery_images-0-ORDER": "1",
                "gallery_images-0-DELETE": "",
            }
        )
    form[field] = str(image.pk)
    return form


def images_of(page_pk):
    draft = MerchantPage.objects.get(pk=page_pk).get_latest_revision_as_object()
    return {draft.hero_image_id, draft.logo_id, *(g.image_id for g in draft.gallery_images.all())}


@pytest.mark.parametrize(("what", "field"), IMAGE_FIELDS, ids=[r[0] for r in IMAGE_FIELDS])
def test_merchant_a_cannot_put_bs_image_on_their_page(world, what, field):
    client, page = world["client"], world["a"].page
    url = f"/admin/pages/{page.pk}/edit/"

    response = client.post(url, with_image(edit_form(client, page), field, world["b_image"]))

    assert response.status_code == 200, what
    assert "Dieses Bild steht Ihnen nicht zur Verfügung." in response.content.decode()
    assert world["b_image"].pk not in images_of(page.pk)
    # A's own image in the same field is taken: the form itself was sound.
    own = Image.objects.create(
        title="Alpha Laden", file=get_test_image_file(), collection=world["a"].collection
    )
    assert client.post(url, with_image(edit_form(client, page), field, own)).status_code == 302
    assert own.pk in images_of(page.pk)


# --- what A may do with A's own page ------------------------------------------------------


def test_merchant_a_edits_previews_and_saves_a_draft_of_their_page(world):
    client, page = world["client"], world["a"].page
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    form = edit_form(client, page)
    form["intro"] = "Zeitungen, Lotto und Kaltgetränke."
    preview = client.post(f"/admin/pages/{page.pk}/edit/preview/", form)
    assert preview.json()["is_valid"]
    assert "Lotto" in client.get(f"/admin/pages/{page.pk}/edit/preview/").content.decode()

    response = client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302
    draft = MerchantPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.intro == "Zeitungen, Lotto und Kaltgetränke."
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "Entwurf gespeichert" in history  # their own draft, in their page's history
    assert "Aylin Demir" in history  # who saved it: merchant A, as registered


def test_merchant_a_cannot_publish_delete_move_or_unpublish_their_own_page(world):
    client, page = world["client"], world["a"].page
    form = edit_form(client, page)
    form["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert not MerchantPage.objects.get(pk=page.pk).live
    move = f"/admin/pages/{page.pk}/move/{world['other_directory'].pk}/confirm/"
    for url in (f"/admin/pages/{page.pk}/delete/", move, f"/admin/pages/{page.pk}/unpublish/"):
        assert refused(client.post(url)), url
    page = MerchantPage.objects.get(pk=page.pk)
    assert page.get_parent().pk == world["directory"].pk
    assert MerchantPage.objects.filter(pk=page.pk).exists()
    # The move is one that the page types allow: an editor may make it.
    assert not refused(world["editor"].post(move))
    assert MerchantPage.objects.get(pk=page.pk).get_parent().pk == world["other_directory"].pk


def test_merchant_a_uploads_images_into_their_own_collection(world):
    client, account = world["client"], world["a"]
    upload = SimpleUploadedFile("laden.png", get_test_image_file().file.getvalue())
    response = client.post(
        "/admin/images/add/",
        {"title": "Unser Laden", "file": upload, "collection": account.collection.pk},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    image = Image.objects.get(title="Unser Laden")
    assert image.collection == account.collection
    assert "Unser Laden" in client.get("/admin/images/").content.decode()
    # Another merchant's collection is not offered and not accepted.
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Fremd",
            "file": SimpleUploadedFile("x.png", get_test_image_file().file.getvalue()),
            "collection": world["b"].collection.pk,
        },
    )
    assert not Image.objects.filter(title="Fremd", collection=world["b"].collection).exists()


# --- the "Profilprüfung" workflow ---------------------------------------------------------


def test_a_submitted_change_reaches_the_editors_and_approval_publishes_it(world):
    client, page = world["client"], world["a"].page
    form = edit_form(client, page)
    form["intro"] = "Jetzt auch mit Lotto."
    form["action-submit"] = "action-submit"
    mail.outbox.clear()

    assert client.post(f"/admin/pages/{page.pk}/edit/", form).status_code == 302

    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Profilprüfung"
    assert "moderation@example.org" in [to for message in mail.outbox for to in message.to]
    assert not MerchantPage.objects.get(pk=page.pk).live
    # The merchant's dashboard says what is waiting.
    assert "Wartet auf Prüfung" in client.get("/admin/").content.decode()

    task_state = state.current_task_state
    response = world["editor"].post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    live = MerchantPage.objects.get(pk=page.pk)
    assert live.live and live.intro == "Jetzt auch mit Lotto."
    assert "Jetzt auch mit Lotto." in Client().get(live.url).content.decode()


def test_a_merchant_sees_on_the_dashboard_that_changes_were_requested_and_why(world):
    client, page = world["client"], world["a"].page
    form = edit_form(client, page)
    form["action-submit"] = "action-submit"
    client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert "Wartet auf Prüfung" in client.get("/admin/").content.decode()
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))

    response = world["editor"].post(
        f"/admin/pages/workflow/action/{page.pk}/reject/{state.current_task_state.pk}/",
        {"comment": "Bitte ergänzen Sie ein Foto von Ihrem Laden."},
    )

    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    dashboard = client.get("/admin/").content.decode()
    assert "Die Redaktion bittet um Änderungen" in dashboard
    assert "Bitte ergänzen Sie ein Foto von Ihrem Laden." in dashboard
    assert "Wartet auf Prüfung" not in dashboard


def test_the_review_workflow_is_set_once_per_directory(world):
    directory = Page.objects.get(pk=world["directory"].pk)
    workflow = directory.get_workflow()
    assert workflow.name == "Profilprüfung"
    assert world["b"].page.get_workflow() == workflow
    [task] = workflow.tasks.all()
    assert [g.name for g in task.specific.groups.all()] == ["Moderators"]
