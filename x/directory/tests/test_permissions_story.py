"""The permission matrix, continued: what merchant A chooses inside the story (StreamField)
of their own page. The image block takes an id posted by hand like the hero and the gallery
do; it must refuse another merchant's image at the field, in the preview as on save."""

import pytest
from django.contrib.auth.models import Permission
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.test.utils.form_data import nested_form_data, streamfield

from directory.models import MerchantPage

from . import test_permissions as matrix

# The matrix's world (merchants A and B, B's image, an editor), built once for this module too.
built_world = matrix.built_world
world = matrix.world
edit_form = matrix.edit_form

pytestmark = pytest.mark.django_db

REFUSAL = "Dieses Bild steht Ihnen nicht zur Verf"  # ü escaped in the block data JSON


def with_story_image(form: dict, image) -> dict:
    form.update(
        nested_form_data(
            {
                "story": streamfield(
                    [
                        ("heading", "Unser Laden"),
                        ("image", {"image": image.pk, "caption": "Innen", "credit": ""}),
                    ]
                )
            }
        )
    )
    return form


def story_images(page_pk) -> set:
    draft = MerchantPage.objects.get(pk=page_pk).get_latest_revision_as_object()
    return {block.value["image"].pk for block in draft.story if block.block_type == "image"}


def test_merchant_a_cannot_put_bs_image_into_their_story(world):
    client, page = world["client"], world["a"].page
    url = f"/admin/pages/{page.pk}/edit/"

    response = client.post(url, with_story_image(edit_form(client, page), world["b_image"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert REFUSAL in body
    assert "Beta Br" not in body  # the form shown again shows nothing of B's image
    assert world["b_image"].get_rendition("max-165x165").url not in body
    assert world["b_image"].pk not in story_images(page.pk)
    # The same story with A's own image is saved: the form itself was sound.
    own = Image.objects.create(
        title="Alpha Laden", file=get_test_image_file(), collection=world["a"].collection
    )
    assert client.post(url, with_story_image(edit_form(client, page), own)).status_code == 302
    assert story_images(page.pk) == {own.pk}


def test_the_draft_preview_does_not_show_bs_image_in_as_story(world):
    client, page = world["client"], world["a"].page
    url = f"/admin/pages/{page.pk}/edit/preview/"

    answer = client.post(url, with_story_image(edit_form(client, page), world["b_image"]))

    assert answer.json()["is_valid"] is False
    shown = client.get(url).content.decode()
    assert world["b_image"].file.name.rsplit("/", 1)[-1].split(".")[0] not in shown
    assert "Innen" not in shown  # the caption of the refused block is not previewed


def test_an_image_editors_share_with_merchant_a_may_go_into_the_story(world):
    client, page = world["client"], world["a"].page
    shared = Collection.get_first_root_node().add_child(name="Stadtbilder")
    GroupCollectionPermission.objects.create(
        group=world["a"].group,
        collection=shared,
        permission=Permission.objects.get(
            content_type__app_label="wagtailimages", codename="choose_image"
        ),
    )
    skyline = Image.objects.create(title="Skyline", file=get_test_image_file(), collection=shared)

    response = client.post(
        f"/admin/pages/{page.pk}/edit/", with_story_image(edit_form(client, page), skyline)
    )

    assert response.status_code == 302
    assert story_images(page.pk) == {skyline.pk}


def test_an_image_an_editor_put_into_as_story_stays_when_a_saves_again(world):
    editor, client, page = world["editor"], world["client"], world["a"].page
    url = f"/admin/pages/{page.pk}/edit/"
    assert (
        editor.post(url, with_story_image(edit_form(editor, page), world["b_image"])).status_code
        == 302
    )

    assert (
        client.post(url, with_story_image(edit_form(client, page), world["b_image"])).status_code
        == 302
    )
    assert story_images(page.pk) == {world["b_image"].pk}


@pytest.mark.parametrize(
    ("what", "field"), matrix.IMAGE_FIELDS, ids=[r[0] for r in matrix.IMAGE_FIELDS]
)
def test_a_refused_image_field_shows_nothing_of_bs_image(world, what, field):
    client, page = world["client"], world["a"].page
    form = matrix.with_image(edit_form(client, page), field, world["b_image"])

    body = client.post(f"/admin/pages/{page.pk}/edit/", form).content.decode()

    assert "Dieses Bild steht Ihnen nicht zur Verfügung." in body, what
    assert "Beta Br" not in body, what
    assert world["b_image"].get_rendition("max-165x165").url not in body, what
