"""Requests no browser sends: refused with a 400 and the site's own page before anything else
reads them. A form posted in a character set other than UTF-8, a body that cannot be parsed, or
a NUL byte in any parameter or form field (PostgreSQL refuses to store or compare one) would
otherwise raise deep inside Django, where the error pages, which read the form again to check
its CSRF token, raise too, and the visitor gets the server's bare 500."""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNREADABLE = (
    BadRequest,
    SuspiciousOperation,  # too many fields, too large a body
    MultiPartParserError,
    UnicodeDecodeError,
)


def has_nul(query_dict):
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists()
    )


def bad_request(request, reason):
    response = render(request, "400.html", {"reason": reason}, status=400)
    response["Cache-Control"] = "no-store"
    return response


class RefuseMalformedRequestsMiddleware:
    """Placed early, right after the security headers: nothing below it sees such a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") and has_nul(request.GET):
            return bad_request(
                request, gettext("The address contains a character that is not allowed.")
            )
        if request.method not in ("GET", "HEAD") and request.content_type in FORM_TYPES:
            charset = request.content_params.get("charset", "utf-8")
            if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
                return bad_request(
                    request, gettext("Forms are read in UTF-8 only. Please send it again.")
                )
            try:
                fields = request.POST
            except UNREADABLE:
                return bad_request(
                    request, gettext("The form could not be read. Please send it again.")
                )
            if has_nul(fields):
                return bad_request(
                    request, gettext("The form contains a character that is not allowed.")
                )
        return self.get_response(request)
