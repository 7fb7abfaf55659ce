"""Uploads and renditions on S3 (MEDIA_STORAGE_URL), against moto's real S3 API: an editor's
upload, a merchant page's picture, the voucher PDF's logo."""

import io
import re
import urllib.request

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images import get_image_model

from directory.tests.factories import MerchantPageFactory
from payments.tests.utils import pay_with_demo
from support import codes, services
from support.documents import voucher_pdf

pytestmark = pytest.mark.django_db
RANDOM_NAME = r"original_images/[0-9a-f]{32}\.png"


def png_bytes(size=(320, 200), colour=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def keys(s3_client, bucket) -> list[str]:
    return [item["Key"] for item in s3_client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_an_editors_upload_lands_in_the_bucket_under_a_random_private_name(
    editor_client, bucket, s3_client
):
    upload = SimpleUploadedFile("kassenbuch-2025.png", png_bytes(), content_type="image/png")
    response = editor_client.post("/admin/images/add/", {"title": "Kassenbuch", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    image = get_image_model().objects.get(title="Kassenbuch")
    assert re.fullmatch(RANDOM_NAME, image.file.name)
    assert image.file.name in keys(s3_client, bucket)
    assert not any("kassenbuch" in key for key in keys(s3_client, bucket))
    stored = s3_client.get_object(Bucket=bucket, Key=image.file.name)["Body"].read()
    assert PILImage.open(io.BytesIO(stored)).size == (320, 200)
    grants = s3_client.get_object_acl(Bucket=bucket, Key=image.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert all(grant["Grantee"].get("Type") != "Group" for grant in grants)  # not AllUsers


def test_a_merchant_pages_picture_is_served_from_the_bucket(
    client, bucket, s3_client, s3_endpoint, directory_page
):
    image = wagtail_factories.ImageFactory(
        title="Laden",
        file__from_func=lambda: io.BytesIO(png_bytes((1800, 900))),
        file__filename="laden.png",
    )
    assert re.fullmatch(RANDOM_NAME, image.file.name)
    page = MerchantPageFactory(parent=directory_page, title="Kiosk Nordmarkt", hero_image=image)
    html = client.get(page.url).content.decode()
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    from_bucket = [src for src in sources if src.startswith(f"{s3_endpoint}/{bucket}/images/")]
    assert from_bucket, sources
    src = from_bucket[0].replace("&amp;", "&")
    assert "X-Amz-Signature=" in src  # private objects, signed links
    with urllib.request.urlopen(src, timeout=5) as answer:  # noqa: S310 - moto on localhost
        served = answer.read()
    picture = PILImage.open(io.BytesIO(served))
    assert picture.size == (1600, 600)  # the page's fill-1600x600 rendition
    rendition_keys = [key for key in keys(s3_client, bucket) if key.startswith("images/")]
    token = re.fullmatch(r"original_images/([0-9a-f]{32})\.png", image.file.name).group(1)
    assert rendition_keys and all(key.startswith(f"images/{token}.") for key in rendition_keys)


def test_the_voucher_pdf_prints_the_logo_kept_in_the_bucket(
    merchant, buyer, site, bucket, s3_client
):
    merchant.logo = wagtail_factories.ImageFactory(
        title="Logo", file__from_func=lambda: io.BytesIO(png_bytes((400, 200), (20, 90, 200)))
    )
    merchant.save()
    assert merchant.logo.file.name in keys(s3_client, bucket)
    order = services.order_voucher(merchant=merchant, amount=2500, buyer=buyer, site=site)
    pay_with_demo(order)
    order.refresh_from_db()
    data = voucher_pdf(order.voucher, codes.new_code())
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 2  # the logo (from S3) and the QR code
    logo = max(images, key=lambda found: found.image.size[0] / found.image.size[1]).image
    assert logo.size == (400, 200)
    assert logo.convert("RGB").getpixel((10, 10)) == (20, 90, 200)
    assert any(
        key.startswith("images/") and key.endswith(".png") for key in keys(s3_client, bucket)
    )
