"""A page cache for anonymous readers, shared by every process through the default cache (Redis, or
files on a machine without it), emptied the moment an editor publishes anything a page shows.

Why not a library: wagtail-cache, the well-kept one, supports Wagtail below 8 only; Django's
own cache middleware cannot be emptied across processes without flushing the whole cache
(sessions, rate limits). This is the small part of both that the site needs.

How it stays correct:
- Only GET and HEAD from a visitor without a session cookie are served from or stored in the
  cache, so no signed-in editor's page (with its user bar) and no preview can reach a reader.
- A response is stored only if it is a plain 200, sets no cookie, did not use a CSRF token, and
  does not say private/no-cache/no-store (the contact form says never_cache).
- Query strings outside a short list (pagination, the resources filter) skip the cache, so
  random parameters cannot fill it.
- Every entry is tagged with the cache's *generation*, read when the request arrives. Publishing,
  unpublishing, moving or deleting a page, or saving a snippet or setting that pages show, sets a
  new generation once the transaction commits (invalidation.py): every process then misses, on
  its next request, everything rendered before. One key read, no scan, no flush.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/healthz/", "/django-admin/")
ALLOWED_QUERY = {
    "page",
    "category",
    "type",
    "year",
    "tag",
    # The catalogue's filters and sort (pages/catalogue/finder.py), and the entries chosen to
    # compare, which may repeat up to four times (their order is the columns').
    "legal_form",
    "hosting",
    "maintenance",
    "licence",
    "standard",
    "framework",
    "region",
    "policy",
    "sort",
    "e",
}
REPEATABLE_QUERY = {"e": 4}
# The API's parameters that name a view of the content (pages/api/): kept per combination, as
# pages are. Free text (search) is left to the API's rate limit. Answers the CDN may keep
# are held for API_CDN_SECONDS at most, as a CDN purge names pages, not API queries.
API_PREFIX = "/api/"
API_QUERY = {
    "type",
    "fields",
    "limit",
    "offset",
    "order",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "html_path",
    "slug",
    "id",
    "locale",
    "translation_of",
    "site",
    "rich_text_format",
}
API_CDN_SECONDS = 60
MAX_QUERY_VALUE = 40


def page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def new_generation():
    """Forget every cached page, in every process."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # the cache is down; pages are not being served from it either
        logger.warning("Could not reset the page cache", exc_info=True)


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.path.startswith(SKIPPED_PREFIXES):
        return False
    allowed = ALLOWED_QUERY | API_QUERY if request.path.startswith(API_PREFIX) else ALLOWED_QUERY
    for name, values in request.GET.lists():
        if (
            name not in allowed
            or len(values) > REPEATABLE_QUERY.get(name, 1)
            or any(len(value) > MAX_QUERY_VALUE for value in values)
        ):
            return False
    return True


def _key(request):
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
    query = "&".join(
        f"{name}={value}" for name, values in sorted(request.GET.lists()) for value in values
    )
    return (
        f"pagecache:page:{encoding}:{request.scheme}://{request.get_host()}{request.path}?{query}"
    )


def _storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def _replay(stored, request):
    status, headers, content = stored
    response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
    for name, value in headers:
        response[name] = value
    if request.method == "HEAD":
        response["Content-Length"] = str(len(content))
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Place right after WhiteNoise: a hit skips sessions, CSRF, auth and the page tree."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_seconds()
        if not seconds or not _cacheable_request(request):
            response = self.get_response(request)
            if seconds and settings.SESSION_COOKIE_NAME in request.COOKIES:
                # A signed-in view (user bar, drafts) must not be kept by a CDN either.
                patch_cache_control(response, private=True)
            return response

        try:
            key = _key(request)
        except DisallowedHost:
            return self.get_response(request)
        generation, stored = self._lookup(key)
        request.page_cache_generation = generation  # shared parts are kept under it (shared.py)
        if stored is not None and stored[0] == generation:
            return _replay(stored[1], request)

        response = self.get_response(request)
        if not _storable(request, response):
            response[HEADER] = "skip"
            return response
        cdn = getattr(settings, "PAGE_CACHE_CDN_SECONDS", 60)
        if request.path.startswith(API_PREFIX):
            cdn = min(cdn, API_CDN_SECONDS)
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=cdn,
            stale_while_revalidate=getattr(settings, "PAGE_CACHE_STALE_SECONDS", 30),
        )
        if generation is not None and request.method == "GET":
            content = response.content  # renders a TemplateResponse
            headers = [(k, v) for k, v in response.items() if k != HEADER]
            try:
                cache.set(key, (generation, (response.status_code, headers, content)), seconds)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
        response[HEADER] = "miss"
        return response

    def _lookup(self, key):
        """(generation, stored entry); (None, None) if the cache cannot be reached."""
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
                generation = cache.get(GENERATION_KEY)
            return generation, found.get(key)
        except Exception:
            logger.warning("The page cache is unreachable", exc_info=True)
            return None, None
