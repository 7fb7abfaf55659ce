"""Production: refuses to start without a secret key, allowed hosts, a database URL, a cache
shared between processes and the site's base URL."""

import os

from django.core.exceptions import ImproperlyConfigured

from core.hosts import SiteHosts

from .base import *  # noqa: F403
from .base import env_bool, env_list, tasks_setting


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
# Plus every configured city's hostname, read from its Site: a new city needs no restart.
ALLOWED_HOSTS = SiteHosts(env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(","))
required("DATABASE_URL")
# Every link in mails and on printed vouchers starts with it: a default would print dead links.
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = required("PORTAL_BASE_URL").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Every worker must see the same cache (rate limits, the map feed's generation): Redis, or the
# database cache when CACHE_DATABASE_ALLOWED=1 says so (it needs `manage.py createcachetable`).
if not env_bool("CACHE_DATABASE_ALLOWED"):
    required("REDIS_URL")
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
if CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:  # noqa: F405
    raise ImproperlyConfigured(
        "Production needs a cache shared between processes, not a local one."
    )

# Anonymous public pages are kept PAGE_CACHE_SECONDS in the shared cache (core/cache_headers.py):
# a full Wagtail render costs 35-100 ms, the copy about what a bare view does. Publishing any
# page renews them at once; other changes show within PAGE_CACHE_SECONDS, as behind any CDN.
PAGE_CACHE_SERVER = env_bool("PAGE_CACHE_SERVER", True)

# Mail, PDFs and index updates run in `manage.py db_worker` processes, never in a request.
TASKS = tasks_setting("database")
MAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

# WhiteNoise serves the collected, compressed static files right after the security middleware.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

STORAGES = {
    "default": STORAGES["default"],  # noqa: F405 - base.py's: on disk or on S3, random names
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Real payments only: the demo provider refuses to load, and Stripe needs its keys. A local
# run of the production process model (`make production`, deploy/smoke) may opt in with
# PAYMENT_DEMO_ALLOWED=1 and PAYMENT_PROVIDER=demo; `check --deploy` then warns
# (payments_demo.W001).
PAYMENT_DEMO_ALLOWED = env_bool("PAYMENT_DEMO_ALLOWED")
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "stripe")
if PAYMENT_PROVIDER == "stripe":
    STRIPE_SECRET_KEY = required("STRIPE_SECRET_KEY")
    STRIPE_PUBLISHABLE_KEY = required("STRIPE_PUBLISHABLE_KEY")
    STRIPE_WEBHOOK_SECRET = required("STRIPE_WEBHOOK_SECRET")
