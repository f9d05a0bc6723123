"""Passkeys (django-otp-webauthn) belong to the site's public address. A passkey is bound to a
host name, its relying party, and a browser only offers it on that host; it is accepted only from
the site's own origin. With DJANGO_SITE_URL set (production requires it) both come from there, so
a passkey never depends on which host name a request happened to use. Without it (`make run`,
the tests) they come from the host the browser asked for, which ALLOWED_HOSTS has already vetted.
Changing DJANGO_SITE_URL's host means everyone adds their passkey again."""

from urllib.parse import urlsplit

from django.conf import settings
from django_otp_webauthn.helpers import WebAuthnHelper


def site_origin(request):
    if settings.SITE_URL:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def relying_party_id(request):
    return urlsplit(site_origin(request)).hostname


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self):
        return [site_origin(self.request)]
