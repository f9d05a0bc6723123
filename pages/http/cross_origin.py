"""Protection against cross-site posts that needs no cookie: for the public forms anyone may send
without signing in (the contact form), so that the pages they are on can be served from the page
cache and set no cookie at all. Staff and admin forms keep Django's CSRF token and cookie.

The rule is Go's `net/http` CrossOriginProtection (Go 1.25), which follows the Fetch Metadata
guidance browsers now share:

1. GET, HEAD and OPTIONS are always let through: they change nothing.
2. `Sec-Fetch-Site` (sent by every browser since 2023) decides when present: `same-origin` and
   `none` (typed in, a bookmark) are let through; `cross-site` and `same-site` (another site,
   or another host of the same site) are refused, unless the post's `Origin` is one of
   `CSRF_TRUSTED_ORIGINS`.
3. Without it, `Origin` decides: its host must be the request's own (after ALLOWED_HOSTS has
   checked it) or a trusted origin. `Origin: null` (a sandboxed frame, a privacy redirect) is
   refused.
4. With neither header, the post is let through: no browser made it (every browser sends at
   least one of them with a cross-origin post), and a script posting on its own behalf has no
   visitor's ambient authority to abuse. The form's own checks (the signed timing token, the
   honeypot, the rate limit) still apply. docs/security.md explains why this is as safe as the
   token for a form without sign-in.

Use: decorate the view that receives public posts with `@cross_origin_protected`. A refused post
is answered 403 by the first `answer_cross_origin_refusal` Wagtail hook that takes it (a function
of the request and the reason, returning a response or None); the contact form keeps the
visitor's text on its own refusal page this way. Failing that, a general 403 page says why."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from wagtail import hooks

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HOOK = "answer_cross_origin_refusal"
# Fields a form keeps for itself, not the visitor's words: not shown back on the general page.
NOT_SHOWN = {"csrfmiddlewaretoken", "form_token", "website"}
# What the general page shows back, at most (a post is limited by DATA_UPLOAD_MAX_* already).
SHOWN_FIELDS = 20


def _trusted(origin):
    return origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])


def cross_origin_refusal(request):
    """Why this request must be refused as a cross-origin post, or None if it may go on."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        if fetch_site in ("same-origin", "none") or (origin and _trusted(origin)):
            return None
        return gettext(
            "Your browser told us this form was sent from another website, so we did not accept it."
        )
    if not origin:
        return None
    if _trusted(origin):
        return None
    host = urlsplit(origin).netloc if origin != "null" else ""
    if host and host == request.get_host():
        return None
    return gettext(
        "This form was sent from another website, not from ours, so we did not accept it."
    )


def refuse(request, reason):
    """The 403 for a refused post: a concern's own page (hook), else the general one."""
    for answer in hooks.get_hooks(HOOK):
        response = answer(request, reason)
        if response is not None:
            break
    else:
        kept = [
            (name, value)
            for name, value in request.POST.items()
            if name not in NOT_SHOWN and value.strip()
        ][:SHOWN_FIELDS]
        context = {"reason": reason, "kept": kept}
        response = render(request, "403_cross_origin.html", context, status=403)
    add_never_cache_headers(response)
    return response


def cross_origin_protected(view):
    """A view that takes posts from anonymous visitors: no CSRF cookie or token, cross-origin
    posts refused instead (see above)."""

    @wraps(view)
    def protected(request, *args, **kwargs):
        reason = cross_origin_refusal(request)
        if reason is not None:
            return refuse(request, reason)
        return view(request, *args, **kwargs)

    return csrf_exempt(protected)
