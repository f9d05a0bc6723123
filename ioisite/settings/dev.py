"""Local development: `make run`. Never used by wsgi.py."""

import os

from .base import *  # noqa: F403

DEBUG = True
# Not a secret: only ever used on a developer's machine. Production refuses to start without
# DJANGO_SECRET_KEY (see production.py).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Static files straight from static/ and the apps; only production collects them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
