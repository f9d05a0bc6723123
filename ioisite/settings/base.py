"""Settings shared by every environment. Anything that differs per deployment comes from the
environment (see docs/deployment.md); dev, test and production only override what they must."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from wagtail.embeds import oembed_providers

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    """Read an on/off switch: 1/true/yes/on and 0/false/no/off, anything else is a mistake."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (got {raw!r}).")


def env_list(name, default=()):
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or list(default)


INSTALLED_APPS = [
    "home",
    "pages",
    "pages.catalogue",
    "pages.providers",
    "pages.ghost",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.api.v2",
    # English and Spanish (docs/translation.md): the translation editor, PO files, and locales
    # managed in the admin (wagtail_localize.locales replaces wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "corsheaders",
    "csp",
    "axes",
    # Staff sign-in with a second factor (pages/staff_auth/, docs/security.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The language comes from the address alone: /es/... is Spanish, anything else English
    # (pages/translation/middleware.py), so a cached page never depends on a header. First, so
    # that even a refused request is answered in its address's language.
    "pages.translation.middleware.LanguageFromPathMiddleware",
    "pages.http.security.SecurityHeadersMiddleware",
    # Requests no browser sends get a 400 here, before anything else reads them.
    "pages.http.malformed.RefuseMalformedRequestsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so a cached API answer gets the CORS headers too (/api/ only).
    "corsheaders.middleware.CorsMiddleware",
    # A hit is answered here, before sessions, CSRF, auth and the page tree (docs/caching.md).
    "pages.caching.middleware.PageCacheMiddleware",
    # Inside the page cache, so the cache keeps the compressed bytes. Django masks CSRF tokens
    # per response, which is its answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # Inside the page cache too: a cached page keeps its policy (docs/security.md).
    "pages.http.security.SiteCSPMiddleware",
    # Inside the page cache, so cached pages are still served when the database is gone; every
    # other page then answers 503 with Retry-After, never 500 (pages/http/outage.py).
    "pages.http.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: which device, if any, verified this session; then a
    # person who owes a second factor reaches only the pages that ask for it.
    "django_otp.middleware.OTPMiddleware",
    "pages.staff_auth.middleware.SecondFactorMiddleware",
    # A provider reaches only the admin addresses that serve their own entries (docs/providers.md).
    "pages.providers.access.ProviderAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it counts failed sign-ins and answers a lockout.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ioisite.urls"
WSGI_APPLICATION = "ioisite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "pages.translation.context.organisation_wording",
            ],
        },
    },
]

# SQLite beside the code unless DATABASE_URL names another database (PostgreSQL in production).
SQLITE_PATH = BASE_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}",
        conn_max_age=0,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# What a 503 asks readers and crawlers to wait when the database cannot be reached.
DATABASE_OUTAGE_RETRY_AFTER_SECONDS = int(
    os.environ.get("DATABASE_OUTAGE_RETRY_AFTER_SECONDS", "30")
)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ioisite",
            "OPTIONS": {
                # A healthy Redis answers in well under a millisecond.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                # A Redis outage makes pages slower, never broken: a failed call is a miss or a
                # no-op. The breaker makes the first failed call the last for a while, and
                # logs the outage once (pages/caching/breaker.py, docs/caching.md).
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "pages.caching.breaker.CircuitBreakerRedis",
                "REDIS_CLIENT_KWARGS": {
                    "cool_down": float(os.environ.get("REDIS_COOL_DOWN_SECONDS", "5")),
                },
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# The breaker logs an outage once; django-redis would log a traceback for every call.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False

# The contact form's rate limit counts in the cache. Redis counts across processes and
# machines; production without REDIS_URL counts in the machine's shared file cache (two posts at
# the same instant may count as one: a file's increment is not atomic); development counts per
# process, which is right for `make run`. django-ratelimit reports both as errors, so that
# check is silenced only when there is no Redis.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = os.environ.get("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR")
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
# While Redis is out the limit counts nothing, and the form takes every post (its bot checks
# still apply): closed, it would answer every visitor 429 for the whole outage.
RATELIMIT_FAIL_OPEN = True

# The page cache (pages/caching/): how long a rendered page is kept for anonymous readers,
# and what Cache-Control tells a CDN. Off (0) unless a settings module or the environment turns
# it on; production does.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# What every page shows (site, home page, settings, wording, navigation, a page's languages),
# kept per cache generation instead of looked up per request (pages/caching/shared.py). Only
# where every change sets a new generation once committed: production. Tests that need it on.
SHARED_PARTS_CACHE = False
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "60"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "30"))

# Optional CDN purge (Wagtail's frontend cache), switched on by its variables.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("CDN_PURGE_URL"):  # Varnish, Squid, nginx: an HTTP PURGE per URL
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["CDN_PURGE_URL"],
    }
elif os.environ.get("CLOUDFLARE_API_TOKEN"):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_API_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONE_ID", ""),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    # With purging, the CDN may keep pages longer: a publish empties it.
    PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "3600"))

# Security headers and cookies (docs/security.md). HSTS, secure cookies and the https redirect
# are production's, behind its DJANGO_SECURE_SSL_REDIRECT switch.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No framing; Wagtail's preview views answer SAMEORIGIN for themselves, and the CSP's
# frame-ancestors 'self' (which browsers prefer) agrees.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # Wagtail's admin reads the token from the page, not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Content-Security-Policy (django-csp). The public site runs no script at all; embeds come in
# frames from the video services the embed block accepts. JSON-LD is a data block, which CSP
# does not treat as script, so it needs no nonce and cached pages stay cacheable.
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "frame-src": [
            _SELF,
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": [_SELF],
    }
}
# Added under /admin/ only: Wagtail's admin writes some scripts and many styles inline, and its
# rich-text editor and choosers need blob: and data: images.
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

# Sign-in lockout (django-axes): 5 failures for one username from one client, then a pause.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The "Sign-in paused" page, with Retry-After (pages/http/security.py).
AXES_LOCKOUT_CALLABLE = "pages.http.security.sign_in_paused"
AXES_IPWARE_META_PRECEDENCE_ORDER = (os.environ.get("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR"),)
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The site's languages (docs/translation.md). English is the default and keeps the addresses it
# had; Spanish lives under /es/. The interface's strings are in locale/ (compiled catalogues
# committed: a newcomer has no gettext).
LANGUAGES = [("en", "English"), ("es", "Español")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in the page's language, named (DATE_FORMAT, YEAR_MONTH_FORMAT...) in templates and code;
# English keeps the site's "2 May 2024" rather than Django's "May 2, 2024" (docs/translation.md).
FORMAT_MODULE_PATH = ["ioisite.formats"]
# A new translation starts as a draft, whatever the English page's state: it reaches readers when
# a translator submits it and a moderator approves it, as any page does.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# No machine translation unless a deployment names a service (these machines have no internet):
# DEEPL_AUTH_KEY turns on DeepL in the translation editor; a translator still reviews every
# string, and nothing is published without moderation.
if os.environ.get("DEEPL_AUTH_KEY"):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_AUTH_KEY"]},
    }

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "collected-static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The page editor of a long StreamField posts many fields; 1,000 (Django's default) is too few.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Invest in Open Infrastructure"
# Video services only: their players run in a frame the Content-Security-Policy allows
# (frame-src). A social post's embed code runs a script of its own, which the policy refuses.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [oembed_providers.youtube, oembed_providers.vimeo],
    }
]
# The site's public address (e.g. https://investinopen.org), which every absolute URL the site
# builds starts with: canonical links, social cards, JSON-LD, the sitemap, feeds, CDN purges and
# staff emails. `migrate` and `load_ioi_content` make the default Wagtail Site match it
# (pages/discovery/site_address.py). Production requires it; elsewhere it may stay empty.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL", "").strip().rstrip("/")
    or SITE_URL
    or "http://127.0.0.1:8000"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Editors compare and restore revisions; the moderation workflow builds on this.
WAGTAIL_WORKFLOW_ENABLED = True
# Avatars are uploaded, never fetched from gravatar.com: no hash of a staff address leaves the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The dashboard's "new Wagtail release" check calls releases.wagtail.org from the browser; the
# admin's Content-Security-Policy allows no third-party connection. Releases are followed by
# the team (SECURITY.md), not by each administrator's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# The body's rich text: what an editor of this site needs, nothing that breaks the heading outline.
RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]

# Background tasks (django-tasks). The immediate backend runs a task at once, in the request,
# and needs no extra process; production switches to the database backend and a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# /healthz/tasks/ answers 503, and the dashboard warns staff, once the oldest due task has
# waited this long for the worker.
TASKS_STALLED_AFTER_SECONDS = int(os.environ.get("TASKS_STALLED_AFTER_SECONDS", "600"))

# The contact form.
CONTACT_FORM_RATE = os.environ.get("CONTACT_FORM_RATE", "5/10m")
# The catalogue's suggestion form (docs/catalogue.md): posts from one address.
CATALOGUE_SUGGESTION_RATE = os.environ.get("CATALOGUE_SUGGESTION_RATE", "5/10m")
CONTACT_EMAIL_MAX_ATTEMPTS = 6
# A sender holds a message it is emailing this long at most (a send takes seconds; EMAIL_TIMEOUT
# bounds each step): an older claim is a sender that died, and the retry command takes it back.
CONTACT_EMAIL_CLAIM_MINUTES = 15
CONTACT_MESSAGE_RETENTION_DAYS = int(os.environ.get("CONTACT_MESSAGE_RETENTION_DAYS", "365"))
# Providers (pages/providers/, docs/providers.md): an invitation's link works this many days;
# an entry is stale when a section was last confirmed longer ago than PROVIDER_STALE_AFTER_DAYS,
# and its provider is reminded at most once a calendar month, and never twice within
# PROVIDER_REMINDER_INTERVAL_DAYS.
PROVIDER_INVITATION_DAYS = int(os.environ.get("PROVIDER_INVITATION_DAYS", "14"))
PROVIDER_STALE_AFTER_DAYS = int(os.environ.get("PROVIDER_STALE_AFTER_DAYS", "365"))
PROVIDER_REMINDER_INTERVAL_DAYS = 28
PROVIDER_EMAIL_MAX_ATTEMPTS = 6
PROVIDER_EMAIL_CLAIM_MINUTES = 15

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")

# The link checker's defaults (pages/links/checker.py: CheckSettings); the command overrides them.
LINKCHECK = {"concurrency": 10, "per_host": 2, "timeout": 10.0}
# The link checker never fetches an address on an internal network (loopback, private, link-local,
# a cloud's metadata service...; pages/links/guard.py) unless its host is named here: host names,
# IP addresses or networks, comma-separated in the environment. Empty by default, as production
# should keep it.
LINK_CHECKER_ALLOWED_HOSTS = env_list("LINK_CHECKER_ALLOWED_HOSTS")

# Backups (`make backup`, `manage.py backup_site`; docs/deployment.md): one file each, holding
# the database and the media folder, written here. Keep copies off the machine too.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")
# The second factor (pages/staff_auth/, docs/security.md). STAFF_2FA_REQUIRED makes it compulsory
# for those who can publish, read messages or manage people; production turns it on. Anyone may
# add one, and whoever has one must use it.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "Invest in Open Infrastructure"
# A passkey is bound to a host name (the relying party) and accepted from the site's own origin
# only: DJANGO_SITE_URL's where it is set (production), else the host the browser asked for,
# which ALLOWED_HOSTS has vetted (make run, tests; pages/staff_auth/passkeys.py). The package
# checks a fixed list of https origins: production's is its address; elsewhere the origin is
# worked out per request, and there is no fixed list to check.
OTP_WEBAUTHN_RP_NAME = "Invest in Open Infrastructure"
OTP_WEBAUTHN_RP_ID_CALLABLE = "pages.staff_auth.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "pages.staff_auth.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
if not OTP_WEBAUTHN_ALLOWED_ORIGINS:
    SILENCED_SYSTEM_CHECKS += ["otp_webauthn.E030"]
# A passkey is a second factor here, never a way in without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# django-axes counts wrong codes as it counts wrong passwords (pages/staff_auth/throttle.py), and
# keeps neither in its records.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Both narrate every page save and background task at INFO.
        "wagtail": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "httpx": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The read-only JSON API at /api/v2/ (pages/api/, docs/api.md): at most API_LIMIT_MAX items an
# answer, API_RATE uncached requests per client address (answered from the page cache, a
# repeated request costs nothing and is not counted), readable from any origin with GET.
WAGTAILAPI_LIMIT_MAX = int(os.environ.get("API_LIMIT_MAX", "50"))
WAGTAILAPI_SEARCH_ENABLED = True
API_RATE = os.environ.get("API_RATE", "120/m")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 86400
