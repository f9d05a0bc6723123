"""Production: every knob from the environment (docs/deployment.md). Refuses to start without
its secret rather than run with a guessable one."""

import copy
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    CONTENT_SECURITY_POLICY,
    DATABASES,
    REDIS_URL,
    SITE_URL,
    env_bool,
    env_list,
)

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 32 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

# The public address: canonical links, the sitemap, feeds, CDN purges and staff emails are
# built from it, so a deployment without it would announce the wrong host.
if not SITE_URL:
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL must be set to the site's public address, for example "
        "https://investinopen.org: canonical links, the sitemap, feeds, CDN purges and staff "
        "emails are built from it."
    )
_site = urlsplit(SITE_URL)
try:
    _site_port = _site.port
except ValueError:
    _site_port = -1
if (
    _site.scheme not in {"http", "https"}
    or not _site.hostname
    or _site.path
    or _site.query
    or _site.fragment
    or _site.username
    or _site_port == -1
):
    raise ImproperlyConfigured(
        "DJANGO_SITE_URL must be a scheme and a host name only, such as "
        f"https://investinopen.org (got {SITE_URL!r})."
    )
if _site.scheme == "https" and _site_port not in (None, 443):
    # Wagtail's Site keeps a host and a port, and builds https addresses only for port 443.
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL uses https on port {_site_port}: only the standard port 443 "
        f"can be served over https (got {SITE_URL!r})."
    )

# The site's own host is always allowed; DJANGO_ALLOWED_HOSTS adds others (an internal name
# the load balancer's health checks use, say).
ALLOWED_HOSTS = list(dict.fromkeys([_site.hostname, *env_list("DJANGO_ALLOWED_HOSTS")]))
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server (packets dropped, not refused) fails a request in this many seconds
    # and answers 503, instead of holding the worker until gunicorn's timeout kills it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )

# Anonymous pages from the shared cache for up to five minutes; a publish empties it at once,
# in every process (docs/caching.md). The cache must be one every process shares: Redis when
# REDIS_URL is set (any number of machines), else files in DJANGO_CACHE_DIR, which every process
# on this one machine reads and writes (the database cache was measured slower, docs/caching.md).
# The same store keeps the contact form's rate-limit counts and Wagtail's own lookups, so they
# too are the same in every process.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
SHARED_PARTS_CACHE = True
if not REDIS_URL:
    CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "var" / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "pages.caching.filecache.SharedFileCache",
            "LOCATION": str(CACHE_DIR),
            "KEY_PREFIX": "ioisite",
            "OPTIONS": {
                # Past this many files, a write deletes a random third (never the generation
                # key): every write lists the folder, so it is kept to a few thousand.
                "MAX_ENTRIES": int(os.environ.get("DJANGO_CACHE_MAX_ENTRIES", "5000")),
                "CULL_FREQUENCY": 3,
            },
        }
    }
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL_REDIRECT else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL_REDIRECT
# The header allows preloading; submitting the domain to the list is a separate, deliberate step.
SECURE_HSTS_PRELOAD = SECURE_SSL_REDIRECT
if SECURE_SSL_REDIRECT:
    CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Everyone who can publish, read messages or manage people signs in with a second factor.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 20

# Contact emails are sent by a worker (`python manage.py db_worker`), retried with back-off.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
