"""Where uploads go (core.storage.media_storage): the local media folder unless the
environment names an S3 bucket, and then private objects behind signed links."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.storage import media_storage


def test_local_files_without_a_bucket():
    assert media_storage({}) == {"BACKEND": "core.storage.UnguessableFileSystemStorage"}


def test_media_storage_url_names_bucket_prefix_endpoint_region_and_keys():
    url = (
        "s3://KEY:se%2Fcret@portal-media/uploads?endpoint_url=https://s3.example.org&region=fr-par"
    )
    assert media_storage({"MEDIA_STORAGE_URL": url}) == {
        "BACKEND": "core.storage_s3.UnguessableS3Storage",
        "OPTIONS": {
            "bucket_name": "portal-media",
            "location": "uploads",
            "access_key": "KEY",
            "secret_key": "se/cret",
            "endpoint_url": "https://s3.example.org",
            "region_name": "fr-par",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def test_the_usual_aws_variables():
    options = media_storage(
        {
            "AWS_STORAGE_BUCKET_NAME": "portal-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
            "AWS_S3_REGION_NAME": "eu-central-1",
            "AWS_ACCESS_KEY_ID": "KEY",
            "AWS_SECRET_ACCESS_KEY": "SECRET",
            "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
            "AWS_QUERYSTRING_EXPIRE": "600",
        }
    )["OPTIONS"]
    assert options["bucket_name"] == "portal-media"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["region_name"] == "eu-central-1"
    assert (options["access_key"], options["secret_key"]) == ("KEY", "SECRET")
    assert options["custom_domain"] == "media.example.org"
    assert options["querystring_expire"] == 600
    assert options["default_acl"] == "private"


@pytest.mark.parametrize(
    "url", ["https://portal-media", "s3://", "s3://portal-media?regoin=eu-central-1"]
)
def test_a_mistyped_media_storage_url_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="MEDIA_STORAGE_URL"):
        media_storage({"MEDIA_STORAGE_URL": url})
