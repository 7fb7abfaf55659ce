"""Uploaded originals and their renditions are stored under unguessable names
(core/storage.py): the media folder serves whatever path one knows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_an_uploaded_image_keeps_no_part_of_its_name(admin):
    upload = SimpleUploadedFile("kassenbuch-2025.PNG", get_test_image_file().file.getvalue())
    response = admin.post("/admin/images/add/", {"title": "Laden", "file": upload})
    assert response.status_code == 302

    image = Image.objects.get(title="Laden")
    assert "kassenbuch" not in image.file.name
    assert image.file.name.startswith("original_images/")
    assert image.file.name.endswith(".png")
    assert len(image.file.name.rsplit("/", 1)[1]) == len("0123456789abcdef" * 2 + ".png")
    rendition = image.get_rendition("fill-480x270")
    assert "kassenbuch" not in rendition.url
    assert image.file.name.rsplit("/", 1)[1].split(".")[0] in rendition.url
    # Two uploads of one name are two different names.
    other = Image.objects.create(title="Nochmal", file=get_test_image_file("kassenbuch-2025.png"))
    assert other.file.name != image.file.name


def test_an_uploaded_document_keeps_no_part_of_its_name(admin):
    upload = SimpleUploadedFile("bilanz-geheim.pdf", b"%PDF-1.4\n%%EOF\n")
    response = admin.post("/admin/documents/multiple/add/", {"files[]": upload})
    assert response.status_code == 200, response.content[:300]

    document = Document.objects.get()
    assert document.file.name.startswith("documents/")
    assert "bilanz" not in document.file.name
    assert document.file.name.endswith(".pdf")
