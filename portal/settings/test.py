"""Settings for the test suite: fast hashing, in-memory cache and media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403
from .base import tasks_setting

DEBUG = False
SECRET_KEY = "test-only-secret-key-" + "x" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Redis when REDIS_URL is set (CI runs the suite once that way), else local memory. Every test
# starts with an empty cache (see conftest.py), so give the tests a Redis database of their own.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Mail goes through the queue (conftest.py puts it back after Django's test setup forces
# locmem) and is delivered to Django's test outbox.
MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = tasks_setting("immediate")
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STORAGES = {
    "default": {"BACKEND": "core.storage.UnguessableFileSystemStorage"},  # random upload names
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"

# Keep test output readable: Wagtail logs every task and page action at INFO.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Tests never reach a real tile server; the browser tests answer this host themselves.
MAP_TILE_URL = "https://tiles.invalid/{z}/{x}/{y}.png"
GEO_WIDGET_LEAFLET_TILE_LAYER = MAP_TILE_URL
