"""Settings for the help center: one module, configured by environment variables.

With no variables set it runs on an embedded SQLite file with an in-process
cache, which is what a fresh clone, `make run` and the test suite need. Production
sets the variables documented in README.md and runs
`manage.py check --deploy --fail-level WARNING` as its release step.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from helpcenter.env import env_bool, env_int, env_list, replica_database
from helpcenter.logging_config import logging_config
from helpcenter.storage import uploads_storage

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Development fallback only; `check --deploy` rejects it (security.W009).
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-only-never-use-in-production"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The site's public origin (scheme and host, e.g. https://help.example.com): every absolute
# link is built on it (helpcenter.request.absolute_url), and emails sent outside a request
# (the worker's retries, `contact_resend_emails` from cron) have nothing else to go on.
# Unset, pages fall back to the request's host; `check --deploy` fails (helpcenter/checks.py).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin with our admin site: each staff member's work first (helpcenter/admin_site.py).
    "helpcenter.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Above staticfiles so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "markdownx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_ratelimit",
    # Revision history of articles, channels and alerts (helpcenter/history.py).
    "reversion",
    "helpcenter",  # the project's own system checks (helpcenter/checks.py)
    "brands",
    "faq",
    "contact",
    "trust",
    "pagecache",
]

MIDDLEWARE = [
    # Outermost: request id, JSON log line and metrics for every answer (helpcenter/request_log.py).
    "helpcenter.request_log.RequestLogMiddleware",
    # /healthz, /readyz, /metrics before the host check, HTTPS redirect, page cache, rate limits.
    "helpcenter.middleware.OperationsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Directly after SecurityMiddleware, as whitenoise's docs require.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages straight from the shared cache, before sessions, CSRF, auth and the view
    # (pagecache/middleware.py); outside GZipMiddleware, whose output it keeps as it is.
    "pagecache.middleware.PageCacheMiddleware",
    # Compresses pages (whitenoise answers static files above, already compressed). Django's
    # GZipMiddleware pads each response at random against BREACH, and CSRF tokens are masked.
    "django.middleware.gzip.GZipMiddleware",
    # Outside everything that renders pages, so error and 503 pages get the headers too.
    "csp.middleware.CSPMiddleware",
    "helpcenter.middleware.PermissionsPolicyMiddleware",
    # Outside everything that can answer an error (CSRF, 404, 405, 503), so /api/ errors are JSON.
    "helpcenter.api_errors.ApiErrorsAsJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After SessionMiddleware (may read it), before CommonMiddleware (must see the language prefix).
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware, so its 400 page is in the visitor's language.
    "helpcenter.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpcenter.staff_preferences.StaffPreferencesMiddleware",  # admin: the staff's language, zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns django-ratelimit's Ratelimited exception into RATELIMIT_VIEW (a 429 page).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # A database outage in a view becomes the 503 page (helpcenter/middleware.py).
    "helpcenter.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpcenter.urls"
WSGI_APPLICATION = "helpcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "helpcenter.context_processors.site",
            ],
            # Partials without `{% load partials %}`; on Django 6 this line and the
            # app go, and the templates stay as they are. `display` holds our own filters
            # (helpcenter/templatetags/display.py), used on every page.
            "builtins": ["template_partials.templatetags.partials", "helpcenter.templatetags.display"],
        },
    },
]

# --- Database and cache -------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", default=600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while a writer commits; IMMEDIATE takes the write lock
    # at BEGIN so concurrent writers queue (busy timeout) instead of failing with
    # "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The brand filter's EXISTS ... OR NOT EXISTS costs enough on large tables for
    # PostgreSQL to JIT-compile it on every request (13-19 ms measured, more than the
    # query itself); short OLTP queries never win from JIT.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",  # Django's, reusing its redis-py client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "helpcenter"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages in the cache above (pagecache/): how long at most, and what caches downstream
# (nginx, a CDN) are told; never past the view's max-age or the next scheduled publish time.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", default=True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_SHARED_MAX_AGE = env_int("DJANGO_PAGE_CACHE_SHARED_MAX_AGE", default=10)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env_int("DJANGO_PAGE_CACHE_STALE_WHILE_REVALIDATE", default=20)
# The content version: with the in-process cache in this file (empty: one per database in the
# temp directory); with Redis pushed to each worker, or read per request if 0 (pagecache/).
PAGE_CACHE_VERSION_FILE = os.environ.get("DJANGO_PAGE_CACHE_VERSION_FILE", "")
PAGE_CACHE_VERSION_PUSH = env_bool("DJANGO_PAGE_CACHE_VERSION_PUSH", default=True)
# Each worker also keeps the pages it serves, so a hit reads only the version from the cache
# above (pagecache/local.py): at most this many bytes of them per worker process.
PAGE_CACHE_LOCAL_BYTES = env_int("DJANGO_PAGE_CACHE_LOCAL_BYTES", default=32 * 1024 * 1024)

# --- Background tasks -----------------------------------------------------------

# Tasks are stored in the database and run by `manage.py db_worker`, so a task
# enqueued inside a request survives a crash of the worker or the mail server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Internationalisation -------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates as each language writes them: 2026年11月3日 and 3 Nov 2026 (Django's English is US-style).
FORMAT_MODULE_PATH = ["helpcenter.formats"]

# --- Static and uploaded files ------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Uploads (article images, support attachments) live outside the static tree.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Object storage for uploads (S3 API) -----------------------------------------------

# With DJANGO_S3_BUCKET set, uploads go to an S3-compatible object store (AWS S3, MinIO, Ceph,
# R2...) through django-storages, so every app server sees the same files; without it they
# stay under MEDIA_ROOT (helpcenter/storage.py). Either way they are private: the
# permission-checked views (contact attachments, scam screenshots, article images) stream them.
STORAGES["default"] = uploads_storage(os.environ)

# --- Email ----------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "help@helpcenter.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -------------------------------------------------------------------

# The CSRF-failure page is the site's own (templates/403_csrf.html), in the visitor's language.
CSRF_FAILURE_VIEW = "helpcenter.views.csrf_failure"

# DJANGO_HTTPS=1 in production (behind TLS): secure cookies, HSTS, redirects.
HTTPS = env_bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind our one reverse proxy, the visitor's address is the last X-Forwarded-For entry;
# otherwise REMOTE_ADDR. helpcenter.request.client_address applies the rule (IPv6 counted
# per /64) for every rate limit and for the admin lockouts.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# SecurityMiddleware sends X-Content-Type-Options: nosniff (the default, kept explicit).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the form it posts, never from the cookie, so scripts need not read it.
CSRF_COOKIE_HTTPONLY = True
# Staff sessions end after eight hours and when the browser closes.
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin lives at a configurable path so that scanners probing /admin/ find nothing.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Content Security Policy (django-csp 4). Every script and stylesheet is a file we serve
# ourselves, so no 'unsafe-inline' and no 'unsafe-eval' (htmx runs with allowEval off and
# its indicator styles off, see base.html). NONCE stays in script-src for a future inline
# script that really needs one (`{{ request.csp_nonce }}`); it is only sent when a page
# reads it. We deliberately do not hand `csp_nonce` to `{% htmx_script %}`: htmx is loaded
# from our own origin ('self'), and a per-request nonce on every page would only make the
# pages uncacheable. JSON-LD blocks are data, not script, and are not affected.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    },
}
# Sent as `Permissions-Policy: camera=(), ...` by helpcenter.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]

# Admin login brute-force protection (django-axes): its backend must come first so it can
# refuse a locked-out client before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins from one address lock that address out for an hour. Locking by
# address (not by username) means a stranger cannot lock a real editor out of the admin;
# `manage.py axes_reset` lifts a lockout early.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# The same client-address rule as every rate limit, behind the proxy or not (axes would
# otherwise need django-ipware, and without it sees every visitor as the proxy).
AXES_CLIENT_IP_CALLABLE = "helpcenter.request.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "trust/lockout.html"
# Failed passwords are never written to the access log.
AXES_SENSITIVE_PARAMETERS = ["password"]

# Every rate limit on the site (helpcenter/ratelimits.py): django-ratelimit counting in the
# default cache (Redis in production) per client address (IPv4 address, IPv6 /64). Over a
# limit, a form with visitor text is shown again with status 429; other views get the 429 page.
RATELIMIT_VIEW = "helpcenter.views.rate_limited"
# The one switch: only benchmarks that replay thousands of posts from one address turn it off.
RATELIMIT_ENABLE = env_bool("DJANGO_RATELIMIT_ENABLE", default=True)
RATE_LIMITS = {
    "contact-submit": os.environ.get("DJANGO_RATE_CONTACT_SUBMIT", "20/h"),
    # Per normalised email address (lower case, +tag dropped): each submit emails a confirmation.
    "contact-submit-email": os.environ.get("DJANGO_RATE_CONTACT_SUBMIT_EMAIL", "5/h"),
    "contact-lookup": os.environ.get("DJANGO_RATE_CONTACT_LOOKUP", "10/15m"),
    "contact-followup": "30/h",
    "contact-sensitive-check": "120/m",
    # Anonymous and uploads a file: ten reports an hour from one client is plenty for a person.
    "scam-report": "10/h",
    # Votes and comments are anonymous: cap what one client can post.
    "article-feedback": "20/m",
    # "Was this the answer?" (faq/answer_views.py): anonymous, like article votes.
    "answer-vote": "20/m",
}
# django-ratelimit only lists django-redis as supported (W001), but Django's own
# RedisCache increments atomically too. Without REDIS_URL the in-process cache is not
# shared between workers (E003): fine for development and tests on one process, so the
# error is silenced there; with DJANGO_HTTPS (production) it stays and check --deploy
# fails until REDIS_URL is set.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL and not HTTPS:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Logging ------------------------------------------------------------------------

# One JSON object per line with the request id, email addresses masked (helpcenter/request_log.py).
LOGGING = logging_config(level=os.environ.get("DJANGO_LOG_LEVEL", "INFO"))

# --- Observability (health, metrics, read replica) ------------------------------------

# /metrics answers only `Authorization: Bearer <token>`; unset, there is no /metrics at all.
# Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR too (helpcenter/metrics.py).
METRICS_TOKEN = os.environ.get("DJANGO_METRICS_TOKEN", "")

# An optional PostgreSQL read replica (helpcenter/replica.py): cookie-less GET requests read
# from it until their first write; pages read from it stay in the page cache at most
# REPLICA_PAGE_CACHE_SECONDS, as it may lag behind a content change. Tests read through it
# from the test database (MIRROR).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_PAGE_CACHE_SECONDS = env_int("DJANGO_REPLICA_PAGE_CACHE_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_database(DATABASES["default"], DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["helpcenter.replica.ReplicaRouter"]
    # Inside the page cache, so it can shorten how long pages read from the replica are kept.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("pagecache.middleware.PageCacheMiddleware") + 1,
        "helpcenter.replica.ReplicaMiddleware",
    )

# --- Application ------------------------------------------------------------------

SITE_NAME = _("Wallet Help Center")
# Markdown in the admin preview and on public pages comes from one sanitising function.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "faq.markdown.render_markdown"
MARKDOWNX_MEDIA_PATH = "articles/"
# The editor's live preview renders in a child process killed after this many seconds
# (faq/markdown.py render_markdown_bounded): a 100,000-character article renders in well under one.
MARKDOWN_RENDER_SECONDS = 3
# jieba (search segmentation) caches its parsed dictionary in this directory; empty means
# the system temp directory. Point it somewhere writable in read-only containers.
JIEBA_CACHE_DIR = os.environ.get("DJANGO_JIEBA_CACHE_DIR", "")
# Article views are counted in each worker's memory and written to the database in one
# batch at most once per this many seconds per worker (see faq/services.py).
ARTICLE_VIEW_FLUSH_SECONDS = env_int("DJANGO_ARTICLE_VIEW_FLUSH_SECONDS", default=60)
