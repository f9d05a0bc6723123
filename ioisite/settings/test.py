"""The test suite: SQLite unless DATABASE_URL says otherwise (.ci/run repeats the suite on
PostgreSQL and Redis)."""

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ioisite-test-media-"))  # noqa: F405
# Each process's own (pytest's workers, the commands tests start), gone when it ends.
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
WAGTAILADMIN_BASE_URL = "http://testserver"
# Embeds are fetched from providers on the internet; tests store Embed rows instead.
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed", "providers": []}]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The link checker's tests answer from servers on 127.0.0.1; the tests of the guard itself empty
# this list (pages/tests/test_linkcheck.py).
LINK_CHECKER_ALLOWED_HOSTS = ["127.0.0.1"]

# Static files straight from static/ and the apps; only production collects them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Each test client loads the middleware again, and WhiteNoise would list every static file then
# (some 40 ms a time, most tests); looked up when asked for instead, as under DEBUG.
WHITENOISE_AUTOREFRESH = True

# pytest-xdist runs the suite in several processes. Each gets a Redis database of its own, so
# that one process emptying the cache between tests never empties another's mid-test.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    _parts = urlsplit(REDIS_URL)  # noqa: F405
    _db = (int(_parts.path.strip("/") or 0) - int(_worker[2:])) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{_db}"))  # noqa: F405
