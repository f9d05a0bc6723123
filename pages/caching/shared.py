"""What every page shows, worked out once per cache generation instead of once per request: the
site and its home page in each language, the organisation's settings and wording, the main
navigation, a page's versions in each language.

Each is kept in the process's memory under the page cache's generation (middleware.py): a
publish, or saving anything pages show, sets a new generation (invalidation.py), and the next
request in every process finds its copies stale and works them out again. So they are exactly
as fresh as the cached pages themselves, and an uncached page no longer pays their queries on
every render. Memory: one copy of each per process, dropped whole when the generation moves.

On where the generation is kept in step with every change: production (SHARED_PARTS_CACHE). In
development and tests, where data changes inside a transaction that never commits (so no new
generation is set), it is off unless a test turns it on."""

import logging
import threading
import uuid

from django.conf import settings
from django.core.cache import cache

from .middleware import GENERATION_KEY

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_kept = {"generation": None, "values": {}, "fragment_bytes": 0}


def enabled():
    return getattr(settings, "SHARED_PARTS_CACHE", False)


def current_generation(request=None):
    """The page cache's generation for this request (read once per request), or None if the
    cache cannot be reached."""
    generation = getattr(request, "page_cache_generation", None)
    if generation is not None:
        return generation
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # the cache is down: work everything out, as without it
        logger.debug("No page cache generation", exc_info=True)
        return None
    if request is not None and generation is not None:
        request.page_cache_generation = generation
    return generation


def per_generation(name, compute, request=None, keep=None):
    """compute()'s value, worked out once per generation in this process (only if
    `keep(value)`, where given). Off, or without a generation, it is compute() every time."""
    if not enabled():
        return compute()
    generation = current_generation(request)
    if generation is None:
        return compute()
    with _lock:
        if _kept["generation"] != generation:
            _kept["generation"] = generation
            _kept["values"] = {}
            _kept["fragment_bytes"] = 0
        values = _kept["values"]
        if name in values:
            return values[name]
    value = compute()
    if keep is not None and not keep(value):
        return value
    with _lock:
        if _kept["generation"] == generation:
            _kept["values"][name] = value
    return value


def forget():
    """Drop every kept value in this process (tests)."""
    with _lock:
        _kept["generation"] = None
        _kept["values"] = {}
        _kept["fragment_bytes"] = 0


# Fragments kept per process and generation at most, by number and by size (keys included):
# the keys of listings come from addresses (a filter, a page number), so a crawler could
# otherwise grow the memory without end. Past either, fragments are worked out per request
# until the next generation.
MAX_FRAGMENTS = 5000
MAX_FRAGMENT_CHARACTERS = 32 * 1024 * 1024


def fragment(name, request, compute):
    """compute()'s text (HTML), kept once per generation in this process under `name` and the
    request's host (a page's address may be written in full for another site); never in a
    preview, which shows an editor's draft under the live page's id."""
    return kept_within_bounds(name, request, compute, size=len)


def kept_within_bounds(name, request, compute, size, keep=None):
    """compute()'s value, kept as `fragment` keeps text, for values whose names come from
    addresses: within MAX_FRAGMENTS and MAX_FRAGMENT_CHARACTERS, `size(value)` counted with
    the name; only if `keep(value)`, where given."""
    if request is None or getattr(request, "is_preview", False):
        return compute()
    name = f"{name}@{request.get_host()}"
    with _lock:
        full = name not in _kept["values"] and (
            len(_kept["values"]) >= MAX_FRAGMENTS
            or _kept["fragment_bytes"] >= MAX_FRAGMENT_CHARACTERS
        )
    if full:
        return compute()

    def counted():
        value = compute()
        if keep is None or keep(value):
            with _lock:
                _kept["fragment_bytes"] += len(name) + size(value)  # the key is the address's
        return value

    return per_generation(name, counted, request, keep=keep)
