"""File storage whose uploaded originals get unguessable names.

Wagtail keeps an upload's own name (`original_images/kassenbuch-2025.jpg`, `documents/...`),
and the media folder serves every file to whoever knows its path: a merchant's photo before
approval, a document no page links to. Here an image's or document's original is stored as
a random token with its extension (128 bits); renditions (`images/<token>.fill-...`) are named
after the stored original, so they are unguessable too. Other files keep their names.
The same rule (UnguessableNamesMixin) names files on disk and on S3 (core/storage_s3.py).
"""

import os
import secrets
from collections.abc import Mapping
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

RANDOMISED_FOLDERS = ("original_images", "documents")


def unguessable_name(filename: str) -> str:
    folder, name = os.path.split(filename)
    if folder not in RANDOMISED_FOLDERS:
        return filename
    extension = os.path.splitext(name)[1].lower()
    return os.path.join(folder, f"{secrets.token_hex(16)}{extension}")


class UnguessableNamesMixin:
    def generate_filename(self, filename: str) -> str:
        return super().generate_filename(unguessable_name(filename))


class UnguessableFileSystemStorage(UnguessableNamesMixin, FileSystemStorage):
    pass


# Object storage (S3 and compatible): chosen by the environment, local files otherwise.
# core/storage_s3.py holds the storage class, so that boto3 loads only where it is used.
S3_BACKEND = "core.storage_s3.UnguessableS3Storage"
FILE_SYSTEM_BACKEND = "core.storage.UnguessableFileSystemStorage"
S3_ENV = {  # MEDIA_STORAGE_URL's query parameter → environment variable → storage option
    "endpoint_url": ("AWS_S3_ENDPOINT_URL", "endpoint_url"),
    "region": ("AWS_S3_REGION_NAME", "region_name"),
    "custom_domain": ("AWS_S3_CUSTOM_DOMAIN", "custom_domain"),
    "addressing_style": ("AWS_S3_ADDRESSING_STYLE", "addressing_style"),
    "querystring_expire": ("AWS_QUERYSTRING_EXPIRE", "querystring_expire"),
}


def media_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry: S3 when MEDIA_STORAGE_URL (`s3://[key:secret@]bucket
    [/prefix]?endpoint_url=...&region=...`) or AWS_STORAGE_BUCKET_NAME is set.

    Objects are private (ACL `private`) and their URLs signed for an hour (querystring auth):
    a merchant's photo before approval is no more public than its unguessable name. Behind
    AWS_S3_CUSTOM_DOMAIN (a CDN) django-storages leaves URLs unsigned: the domain must serve
    the bucket, and the random names are the protection, as for the local media folder."""
    url = environ.get("MEDIA_STORAGE_URL", "").strip()
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not url and not bucket:
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    options = {"default_acl": "private", "querystring_auth": True, "file_overwrite": False}
    params = {}
    if url:
        parsed = urlsplit(url)
        if parsed.scheme != "s3" or not parsed.hostname:
            raise ImproperlyConfigured("MEDIA_STORAGE_URL must look like s3://bucket?region=...")
        bucket = parsed.hostname
        options["location"] = parsed.path.strip("/")
        if parsed.username:
            options["access_key"] = unquote(parsed.username)
            options["secret_key"] = unquote(parsed.password or "")
        params = dict(parse_qsl(parsed.query))
        unknown = set(params) - set(S3_ENV)
        if unknown:
            raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: unknown parameter {sorted(unknown)}")
    else:
        for name, option in (
            ("AWS_ACCESS_KEY_ID", "access_key"),
            ("AWS_SECRET_ACCESS_KEY", "secret_key"),
        ):
            if environ.get(name):
                options[option] = environ[name]
    for param, (variable, option) in S3_ENV.items():
        value = params.get(param) or environ.get(variable, "").strip()
        if value and option == "querystring_expire":
            if not value.isdigit():
                raise ImproperlyConfigured(f"{variable} must be a number of seconds: {value!r}")
            options[option] = int(value)
        elif value:
            options[option] = value
    if environ.get("AWS_QUERYSTRING_AUTH", "").strip().lower() in {"0", "false", "no", "off"}:
        options["querystring_auth"] = False  # a bucket meant to be public
    return {"BACKEND": S3_BACKEND, "OPTIONS": {"bucket_name": bucket, **options}}
