"""File storage whose uploaded originals get unguessable names.

Wagtail keeps an upload's own name (`original_images/kassenbuch-2025.jpg`, `documents/...`),
and the media folder serves every file to whoever knows its path: a merchant's photo before
approval, a document no page links to. Here an image's or document's original is stored as
a random token with its extension (128 bits); renditions (`images/<token>.fill-...`) are named
after the stored original, so they are unguessable too. Other files keep their names.
"""

import os
import secrets

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
