"""Until a person who owes a second factor has given it, the only pages they reach are the
ones that ask for it (and signing out). Every other admin address, the admin's API and previews
included, sends them there; everywhere else (private pages, documents in private collections)
they are treated as not signed in, so whatever needs a sign-in asks for one."""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .policy import ENROL, VERIFY, step_owed

ADMIN_PREFIX = "/admin/"
# Open to a person half-way through signing in. Wagtail's scripts and icons are what the
# second-factor pages themselves load.
OPEN_URL_NAMES = {
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
OPEN_NAMESPACES = {"second_factor", "otp_webauthn"}
# Signing in again while half-way would loop: the sign-in page sends a signed-in person on to
# where they were going, which would send them back to sign in.
SIGN_IN_URL_NAMES = {"wagtailadmin_login", "wagtailcore_login"}
STEP_URL_NAMES = {VERIFY: "second_factor:verify", ENROL: "second_factor:enrol"}


def _resolved(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def _anonymous(request):
    anonymous = AnonymousUser()
    request.user = anonymous

    async def auser():
        return anonymous

    request.auser = auser


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = step_owed(request.user)
        if step is None:
            return self.get_response(request)

        match = _resolved(request.path_info)
        names = {match.url_name, match.view_name} if match else set()
        namespaces = set(match.namespaces) if match else set()
        if names & OPEN_URL_NAMES or namespaces & OPEN_NAMESPACES:
            return self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX) or names & SIGN_IN_URL_NAMES:
            if names & SIGN_IN_URL_NAMES:
                onward = request.GET.get("next", "")
            else:
                onward = request.get_full_path()
            url = reverse(STEP_URL_NAMES[step])
            return redirect(f"{url}?{urlencode({'next': onward})}" if onward else url)
        _anonymous(request)
        return self.get_response(request)
