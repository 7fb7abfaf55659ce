"""Settings shared by every environment. Configuration comes from environment variables only."""

import os
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

from core.logs import init_sentry, logging_config
from core.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "core",  # template tags (csp_tags), the scheduled jobs' lock (core.models.JobLock)
    "pages",
    "directory",
    "search",
    "support",
    "payments",
    "payments_demo",
    "payments_stripe",
    "privacy",
    "mailqueue",
    "wagtailgeowidget",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # CORS_*: the public read APIs only
    "core.logs.RequestIdMiddleware",  # X-Request-ID, and the request id in every log line
    "core.csp.PortalCSPMiddleware",  # django-csp: CONTENT_SECURITY_POLICY
    "core.cache_headers.PublicCacheHeadersMiddleware",  # anonymous pages: public + ETag
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.RejectNulBytesMiddleware",  # 400 for %00 in a query or form
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "directory.boundary.MerchantAdminBoundary",  # what Wagtail's admin shows merchants
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.dbdown.DatabaseUnavailableMiddleware",  # last: a 503 when the database cannot answer
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite next to the code unless DATABASE_URL points elsewhere (e.g. PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# A database that hangs must not hang every request (core/dbdown.py answers 503): PostgreSQL
# gets a connect and a statement timeout (libpq counts a connect timeout under 2 s as 2 s).
# SQLite waits for a lock for its own `timeout` (5 s) and has no network to hang.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
        options="-c statement_timeout="
        + str(int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "15000"))),
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache is shared by every process: rate-limit counters and the map feed's generation must
# be the same in every worker. Redis when REDIS_URL is set (it degrades to misses when Redis is
# away, core/cache.py; seconds to wait for it: REDIS_SOCKET_TIMEOUT), else the database
# (its table comes from `manage.py createcachetable`, which `make db` runs).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.3"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},  # Django's 300 would cull feeds and counters
        }
    }

# Anonymous pages are `Cache-Control: public` for this long (core/cache_headers.py), so that a
# front cache or the browser may keep them; pages with a form (a CSRF cookie) stay private.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# ... and with PAGE_CACHE_SERVER=1 the server keeps them that long too, in the shared cache.
PAGE_CACHE_SERVER = env_bool("PAGE_CACHE_SERVER")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# German first, English second.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed by npm (never loaded from a CDN at run time).
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/supercluster", BASE_DIR / "node_modules" / "supercluster" / "dist"),
    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist"),
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    # Random upload names, on disk or on S3 (MEDIA_STORAGE_URL or AWS_STORAGE_BUCKET_NAME).
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Every mail is queued in the database (mailqueue) and delivered by a background task with
# retries; EMAIL_BACKEND in the environment names how it then leaves: smtp, console, ...
EMAIL_BACKEND = "mailqueue.backend.QueueBackend"
MAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
# Seconds one delivery waits for the mail server before it counts as failed and is retried.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# Seconds between a failed delivery and the next try; after the last one the mail is "failed"
# and editors can send it again (Settings > E-mails).
MAIL_RETRY_DELAYS = [int(s) for s in env_list("MAIL_RETRY_DELAYS", "60,300,1800,7200,21600")]
# Days a sent mail's subject, address and time are kept (send_queued_mail deletes older ones).
MAIL_KEEP_SENT_DAYS = int(os.environ.get("MAIL_KEEP_SENT_DAYS", "30"))

# Background work with django-tasks: "database" queues tasks in the database for
# `manage.py db_worker` (production's default); "immediate" runs them at once, in the request
# (development and tests: no worker needed).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(default: str) -> dict:
    name = os.environ.get("TASKS_BACKEND", default)
    if name not in TASK_BACKENDS:
        raise ValueError(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {name!r}")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}


TASKS = tasks_setting("immediate")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Das Portal")
# The admin is the city's portal (templates/wagtailadmin/): no banner about Wagtail's releases.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call to releases.wagtail.org (the CSP refuses it)
# The public address of the (default) site: every link in mails, PDFs and feeds starts here
# (core/urls.py). Not the Wagtail site's hostname: the seeded one is localhost on port 80.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch")]
# The database backend: SQLite FTS5 or PostgreSQL full text. "simple" (no stemming) on PostgreSQL
# so that both databases match the same folded words (see portal/folding.py).
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend, with `"` in search terms quoted safely on SQLite
    "default": {"BACKEND": "core.search_backend", "SEARCH_CONFIG": "simple"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No Gravatar: it would send a hash of every admin user's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# wagtailgeowidget: the admin map starts over Dortmund; its geocoder needs the internet and
# stays off unless a provider is configured.
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 51.5136, "lng": 7.4653}
GEO_WIDGET_ZOOM = 13
GEO_WIDGET_EMPTY_LOCATION = True

# Public map tiles (per-city settings may override them later); the admin map uses the same.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
)
GEO_WIDGET_LEAFLET_TILE_LAYER = MAP_TILE_URL
GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS = {"attribution": MAP_TILE_ATTRIBUTION}

# Content-Security-Policy (django-csp, core/csp.py): the site itself, a nonce for inline
# <style>/<script> (templates use {{ request.csp_nonce }}), video embeds in stories; core/csp.py
# adds the tile host (MAP_TILE_URL, a city's own tiles) and Stripe.js (STRIPE_JS_URL) per request.
# Write no inline scripts, event handlers or style="" attributes: they are refused.
_VIDEO_FRAMES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", csp_constants.NONCE],
        "style-src": ["'self'", csp_constants.NONCE],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *_VIDEO_FRAMES],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # no frame-ancestors: partners embed /embed/map/ in their own pages
    }
}
# Wagtail's admin writes inline scripts and styles of its own: a looser policy under /admin/.
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'", "https://nominatim.openstreetmap.org"],
    }
}

# Merchants are searched in Elasticsearch when this is set (search/backends.py).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "portal-merchants")

# Origins allowed to show /embed/map/ in an iframe (Content-Security-Policy frame-ancestors),
# e.g. "https://www.wirstehenhinterdir.de,https://bvb.example".
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS")

# Cross-origin reads (django-cors-headers): partner sites may call the public read APIs from
# a browser - the map feeds and details (/api/map/...), the JSON search (/api/search...), the
# open data (/api/open-data/...), Wagtail API v2 (/api/v2/...) and the schema. Any origin, GET
# only, never with cookies: nothing behind these URLs depends on who asks. Every other URL
# (pages, forms, checkout, admin) answers without CORS headers, so browsers keep refusing them.
CORS_URLS_REGEX = r"^/api/(?:map/|search(?:/|$)|open-data/|v2/|openapi\.json$)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

# Merchant registration (directory/accounts/). A geocoder is a dotted path to a function
# taking an address line and returning (latitude, longitude) or None; without one, approved
# merchants start at their district's centre and are asked to set their marker.
MERCHANT_GEOCODER = os.environ.get("MERCHANT_GEOCODER", "")
REGISTRATION_MIN_SECONDS = int(os.environ.get("REGISTRATION_MIN_SECONDS", "3"))
REGISTRATION_RATE_LIMIT = int(os.environ.get("REGISTRATION_RATE_LIMIT", "10"))  # per IP and hour
# Reverse proxies in front of the portal that append to X-Forwarded-For (portal/ratelimit.py):
# the rate limits count the client's address that many entries from the right. 0: none, the
# connection's own address (REMOTE_ADDR) counts; behind one nginx or load balancer, 1.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Support: vouchers, donations, campaigns (support/). Amounts are integer cents.
PORTAL_CURRENCY = "EUR"
SUPPORT_MAX_AMOUNT = int(os.environ.get("SUPPORT_MAX_AMOUNT", "100000"))  # one order, in cents
# Minutes a pending order holds a voucher from a limited stock.
SUPPORT_RESERVATION_MINUTES = int(os.environ.get("SUPPORT_RESERVATION_MINUTES", "30"))
# ...while its payment is under way; without one, only for these few minutes
# (payments.services.reservation_holding).
SUPPORT_RESERVATION_GRACE_MINUTES = int(os.environ.get("SUPPORT_RESERVATION_GRACE_MINUTES", "5"))
# Unpaid orders one client (address or e-mail) may hold at once of one limited voucher offer.
SUPPORT_OPEN_RESERVATIONS_PER_CLIENT = int(
    os.environ.get("SUPPORT_OPEN_RESERVATIONS_PER_CLIENT", "2")
)
# Minutes in which a merchant may take back (storno) a redemption booked at their counter.
SUPPORT_REDEMPTION_STORNO_MINUTES = int(os.environ.get("SUPPORT_REDEMPTION_STORNO_MINUTES", "15"))
# Payment attempts per client IP and hour (card testing).
PAYMENT_RATE_LIMIT = int(os.environ.get("PAYMENT_RATE_LIMIT", "20"))
VOUCHER_LOOKUP_RATE_LIMIT = int(os.environ.get("VOUCHER_LOOKUP_RATE_LIMIT", "20"))  # per IP, hour
VOUCHER_REMINDER_DAYS = int(os.environ.get("VOUCHER_REMINDER_DAYS", "60"))
# Buyers' data rights (privacy/): the "Meine Daten" form per client IP and hour, links mailed
# to one address per hour, how long a mailed link works, and the retention rule: buyers' names
# and addresses leave orders this many days after the end of the order's calendar year (§147 AO:
# ten years), unless a voucher of the order still holds money (manage.py anonymise_old_orders).
PRIVACY_REQUEST_RATE_LIMIT = int(os.environ.get("PRIVACY_REQUEST_RATE_LIMIT", "5"))
PRIVACY_MAILS_PER_ADDRESS = int(os.environ.get("PRIVACY_MAILS_PER_ADDRESS", "3"))
PRIVACY_LINK_MAX_AGE_HOURS = int(os.environ.get("PRIVACY_LINK_MAX_AGE_HOURS", "24"))
PRIVACY_RETENTION_DAYS = int(os.environ.get("PRIVACY_RETENTION_DAYS", "3653"))
# "demo" (offline, refuses to run in production) or "stripe".
PAYMENT_PROVIDER = os.environ.get(
    "PAYMENT_PROVIDER", "stripe" if os.environ.get("STRIPE_SECRET_KEY") else "demo"
)
PAYMENT_DEMO_ALLOWED = True
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Where stripe-python and Stripe.js are sent: Stripe itself unless a test points them elsewhere.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# Seconds the buyer's calls to Stripe wait for an answer (tried twice; refunds wait longer).
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "5"))
# Wallets (Apple Pay, Google Pay) and other methods come with automatic payment methods.
STRIPE_AUTOMATIC_PAYMENT_METHODS = env_bool("STRIPE_AUTOMATIC_PAYMENT_METHODS", True)
# The platform's fee on payments to connected merchant accounts, in basis points (150 = 1.5 %).
PLATFORM_FEE_BASIS_POINTS = int(os.environ.get("PLATFORM_FEE_BASIS_POINTS", "0"))

# Logs go to stderr, each line with the request's id (core/logs.py): as text, or one JSON
# object a line with LOG_FORMAT=json.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = logging_config(log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "WARNING"))

# /readyz answers 503 when a background task has waited longer than this to run (core/health.py).
READY_MAX_TASK_AGE_SECONDS = int(os.environ.get("READY_MAX_TASK_AGE_SECONDS", "600"))
# After a merchant change the worker rebuilds each site's map feed before a visitor asks
# (directory/tasks.py): on with the database task backend; with the immediate one it would run
# inside every publish, so only when this says so.
MAP_FEED_WARMING = (
    env_bool("MAP_FEED_WARMING") if os.environ.get("MAP_FEED_WARMING", "").strip() else None
)

# Unhandled errors are reported to Sentry when SENTRY_DSN is set (no personal data is sent).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
init_sentry(
    dsn=SENTRY_DSN,
    environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
    release=os.environ.get("SENTRY_RELEASE", ""),
)
