"""Response headers: the parts of docs/security.md that are middleware."""

from axes.helpers import get_cool_off
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.shortcuts import render

ADMIN_PREFIX = "/admin/"


class SecurityHeadersMiddleware:
    """The headers Django's SecurityMiddleware does not set. Placed right after it, before
    WhiteNoise, so static files carry them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SiteCSPMiddleware(CSPMiddleware):
    """One strict policy for the public site; the admin, whose scripts Wagtail writes inline,
    gets the additions in settings.CONTENT_SECURITY_POLICY_ADMIN on top of it."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            update = dict(parts.update or {})
            for directive, sources in settings.CONTENT_SECURITY_POLICY_ADMIN.items():
                update[directive] = [*update.get(directive, []), *sources]
            return PolicyParts(parts.config, update, parts.replace, parts.nonce)
        return parts


def sign_in_paused(request, original_response=None, credentials=None):
    """django-axes' lockout: a 429 page that says for how long, in words and in Retry-After."""
    cool_off = get_cool_off(request)
    response = render(request, "429_sign_in.html", {"cooloff_timedelta": cool_off}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
