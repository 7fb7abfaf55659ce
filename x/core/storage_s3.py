"""Uploads on S3-compatible object storage (django-storages), with the same unguessable names
as on disk (core/storage.py). Chosen by core.storage.media_storage from the environment."""

from storages.backends.s3 import S3Storage

from core.storage import UnguessableNamesMixin


class UnguessableS3Storage(UnguessableNamesMixin, S3Storage):
    pass
