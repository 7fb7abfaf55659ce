"""Merchant A can touch A's page and nothing else: every cell of the matrix, on the server.

Wagtail answers a refused admin request with a redirect to the dashboard, 403 or 404; each
cell also checks that nothing changed and that none of B's data was shown.
"""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import Category, MerchantPage, Registration

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client, make_merchant, reviewer, directory_page):
    """Merchants A and B (B's page live, with an image), a pending registration, an editor."""
    a = make_merchant("Kiosk Alpha", "alpha@example.org")
    b = make_merchant("Bäckerei Beta", "beta@example.org")
    b.page.specific.save_revision().publish()
    b_image = Image.objects.create(
        title="Beta Brötchen", file=get_test_image_file(), collection=b.collection
    )
    other = Client()
    other.post(
        "/registrieren/", form_data(email="gamma@example.org", business_name="Gamma", street="G 1")
    )
    editor = Client()
    editor.force_login(reviewer)
    merchant_a = Client()
    merchant_a.force_login(a.user)
    return {
        "a": a,
        "b": b,
        "b_image": b_image,
        "gamma": Registration.objects.get(email="gamma@example.org"),
        "editor": editor,
        "client": merchant_a,
        "directory": directory_page,
    }


def edit_form(client, page) -> dict:
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data["story-count"] = "0"  # StreamFields are drawn by JavaScript: post an empty one
    return data


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and not response["Location"].startswith(
        ("/admin/pages/", "/admin/images/")
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
    ("move B", "post", "/admin/pages/{b}/move/{home}/confirm/", {}),
    ("copy B", "post", "/admin/pages/{b}/copy/", {"new_title": "X", "new_slug": "x"}),
    ("B's history", "get", "/admin/pages/{b}/history/", None),
    ("B's revisions", "get", "/admin/pages/{b}/revisions/{b_revision}/view/", None),
    ("revert B", "post", "/admin/pages/{b}/revisions/{b_revision}/revert/", {}),
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
    ("city settings", "get", "/admin/settings/pages/citysettings/", None),
    ("map settings", "get", "/admin/settings/directory/mapsettings/", None),
    ("users", "get", "/admin/users/", None),
    ("groups", "get", "/admin/groups/", None),
    ("registrations", "get", "/admin/registrations/", None),
    ("a registration", "get", "/admin/registrations/{gamma}/", None),
    ("approve a registration", "post", "/admin/registrations/{gamma}/", {"decision": "approve"}),
    ("merchant accounts", "get", "/admin/merchant-accounts/", None),
    ("B's account", "post", "/admin/merchant-accounts/{b_account}/", {}),
    ("workflows", "get", "/admin/workflows/list/", None),
]


@pytest.mark.parametrize(("what", "method", "url", "data"), REFUSED, ids=[r[0] for r in REFUSED])
def test_merchant_a_is_refused_everything_not_theirs(world, what, method, url, data):
    b = world["b"]
    url = url.format(
        b=b.page.pk,
        b_revision=b.page.specific.latest_revision_id,
        b_image=world["b_image"].pk,
        b_account=b.pk,
        home=world["directory"].get_parent().pk,
        directory=world["directory"].pk,
        gamma=world["gamma"].pk,
    )
    if data in ("b-form", "b-publish"):
        form = edit_form(world["editor"], b.page)
        form["title"] = "Gekapert"
        if data == "b-publish":
            form["action-publish"] = "action-publish"
        data = form
    before = b_state(world)

    response = getattr(world["client"], method)(url, data or {})

    assert refused(response), f"{what}: {response.status_code}"
    assert b_state(world) == before, what
    body = response.content.decode()
    for secret in ("beta@example.org", "gamma@example.org", "Beta Brötchen"):
        assert secret not in body, f"{what} shows {secret}"


def test_lists_and_search_show_merchant_a_nothing_of_others(world):
    client = world["client"]
    listing = client.get("/admin/pages/", follow=True).content.decode()
    search = client.get("/admin/pages/search/", {"q": "Beta"}).content.decode()
    images = client.get("/admin/images/").content.decode()
    chooser = client.get("/admin/images/chooser/").content.decode()
    api = client.get("/admin/api/main/pages/", {"search": "Beta"})
    for body in (listing, search, images, chooser, api.content.decode()):
        assert "Bäckerei Beta" not in body and "Beta Brötchen" not in body
    assert "Kiosk Alpha" in listing


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
    assert client.get(f"/admin/pages/{page.pk}/history/").status_code == 200


def test_merchant_a_cannot_publish_delete_move_or_unpublish_their_own_page(world):
    client, page = world["client"], world["a"].page
    form = edit_form(client, page)
    form["action-publish"] = "action-publish"
    client.post(f"/admin/pages/{page.pk}/edit/", form)
    assert not MerchantPage.objects.get(pk=page.pk).live
    for url in (
        f"/admin/pages/{page.pk}/delete/",
        f"/admin/pages/{page.pk}/move/{world['directory'].get_parent().pk}/confirm/",
        f"/admin/pages/{page.pk}/unpublish/",
    ):
        assert refused(client.post(url)), url
    page = MerchantPage.objects.get(pk=page.pk)
    assert page.get_parent().pk == world["directory"].pk


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


def test_a_submitted_change_reaches_the_editors_and_approval_publishes_it(world, reviewer):
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


def test_the_review_workflow_is_set_once_per_directory(world):
    directory = Page.objects.get(pk=world["directory"].pk)
    workflow = directory.get_workflow()
    assert workflow.name == "Profilprüfung"
    assert world["b"].page.get_workflow() == workflow
    [task] = workflow.tasks.all()
    assert [g.name for g in task.specific.groups.all()] == ["Moderators"]
