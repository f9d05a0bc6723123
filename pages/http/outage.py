"""When the database cannot be reached: a 503 with `Retry-After`, never a 500.

Pages in the page cache are answered before this middleware (pages/caching/middleware.py) and
keep being served. Everything else that needs the database answers a short page drawn without
it, in the reader's language, so a reader knows to come back and a monitor can tell an outage
from a bug. Any other error stays a 500: a bug must still look like one.

Two ways in: `DatabaseOutageMiddleware.process_exception` for what a view (or its template)
raises, and `server_error` (the project's handler500) for what a middleware raises on the way
in, such as the session read for a request with a session cookie.

A concern may answer a request of its own during an outage through the Wagtail hook
`answer_during_database_outage`: a function of the request that returns a response, or None to
leave it to the general page (the contact form keeps the visitor's text this way). A hook that
fails is logged and the general page is answered."""

import logging
import sqlite3
import sys
import threading
import time

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "answer_during_database_outage"

# PostgreSQL's SQLSTATEs that mean "no database to talk to" rather than "this query is wrong":
# class 08 (connection exceptions), the server shutting down or starting (57P01-57P03), and
# too many connections (53300).
POSTGRES_OUTAGE_STATES = {"57P01", "57P02", "57P03", "53300"}
# SQLite: the file cannot be opened, or reading or writing it failed.
SQLITE_OUTAGE_CODES = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR}
SQLITE_OUTAGE_MESSAGES = ("unable to open database file", "disk I/O error")


def _driver_error(error):
    """The database driver's own exception behind Django's wrapper, if any."""
    return error.__cause__ or error.__context__


def is_database_outage(error):
    """Does this exception (or one it was raised from) mean the database cannot be reached?"""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError):
            cause = _driver_error(error)
            module = type(cause).__module__ if cause is not None else ""
            if module.startswith("psycopg"):
                state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
                # No SQLSTATE: the server never answered (connection refused, timed out, closed).
                return state is None or state.startswith("08") or state in POSTGRES_OUTAGE_STATES
            if isinstance(cause, sqlite3.Error):
                code = getattr(cause, "sqlite_errorcode", None)
                if code is not None:
                    return code & 0xFF in SQLITE_OUTAGE_CODES  # extended codes keep the base
                return str(cause) in SQLITE_OUTAGE_MESSAGES
            return False
        error = error.__cause__ or error.__context__
    return False


class OutageLog:
    """One warning per process when an outage starts, one when the database answers again."""

    def __init__(self):
        self.since = None
        self.lock = threading.Lock()

    def started(self, error):
        with self.lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
        logger.warning(
            "The database cannot be reached (%s): pages not in the cache answer 503 until it "
            "is back.",
            " ".join(str(error).split())[:200] or type(error).__name__,
        )

    def ended(self):
        with self.lock:
            if self.since is None:
                return
            seconds, self.since = time.monotonic() - self.since, None
        logger.warning("The database answers again, after %d s without it.", seconds)


outage_log = OutageLog()


def retry_after():
    return getattr(settings, "DATABASE_OUTAGE_RETRY_AFTER_SECONDS", 30)


def unavailable(request):
    """The general page: static text and the site's name, no request context (a context
    processor might query), in the language the address chose."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(retry_after())
    return response


def answer_from_hooks(request):
    for answer in hooks.get_hooks(HOOK):
        try:
            response = answer(request)
        except Exception:
            logger.exception("The %s hook %r failed; answering the general page.", HOOK, answer)
            return None
        if response is not None:
            return response
    return None


def outage_response(request, error):
    outage_log.started(error)
    response = answer_from_hooks(request) or unavailable(request)
    if response.status_code < 500:  # a hook's answer is still an outage's answer
        response.status_code = 503
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store"
    # The outage was logged once above; Django would log every request at ERROR.
    response._has_been_logged = True
    response.database_outage = True
    return response


class DatabaseOutageMiddleware:
    """Inside the page cache, so a cached page is still served; outside sessions and auth."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            outage_log.since is not None
            and not getattr(response, "database_outage", False)
            and connection.connection is not None
        ):
            # Something answered with a connection open: the database is back. (During an
            # outage no connection stays open: each attempt fails, or is closed as unusable.)
            outage_log.ended()
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return outage_response(request, exception)
        return None


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: an outage met by a middleware (the session, the signed-in user) is a 503 too."""
    error = sys.exc_info()[1]
    if error is not None and is_database_outage(error):
        return outage_response(request, error)
    return defaults.server_error(request, template_name)
