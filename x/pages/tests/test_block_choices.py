"""pages.blocks.refuse_choices: a refusal at the very chooser, at any depth of a stream."""

import pytest
from django.core.files.base import ContentFile
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import Document
from wagtail.images.blocks import ImageChooserBlock

from pages.blocks import StoryStreamBlock, chosen_objects, refuse_choices

pytestmark = pytest.mark.django_db


class DownloadsBlock(blocks.StreamBlock):
    files = blocks.StructBlock(
        [("heading", blocks.CharBlock()), ("documents", blocks.ListBlock(DocumentChooserBlock()))]
    )
    picture = ImageChooserBlock()


def test_a_refused_document_in_a_list_in_a_struct_is_named_at_its_place():
    mine = Document.objects.create(title="Speisekarte", file=ContentFile(b"%PDF", name="a.pdf"))
    theirs = Document.objects.create(title="Bilanz", file=ContentFile(b"%PDF", name="b.pdf"))
    block = DownloadsBlock()
    value = block.to_python(
        [
            {"type": "files", "value": {"heading": "Karte", "documents": [mine.pk, theirs.pk]}},
        ]
    )

    error = refuse_choices(block, value, lambda obj: "fremd" if obj.pk == theirs.pk else None)

    assert list(chosen_objects(block, value)) == [mine, theirs]
    assert error.as_json_data() == {
        "blockErrors": {
            0: {"blockErrors": {"documents": {"blockErrors": {1: {"messages": ["fremd"]}}}}}
        }
    }
    assert refuse_choices(block, value, lambda obj: None) is None


def test_an_empty_story_has_nothing_to_refuse():
    block = StoryStreamBlock()
    assert refuse_choices(block, block.to_python([]), lambda obj: "fremd") is None
