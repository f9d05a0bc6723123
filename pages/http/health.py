"""Health checks for load balancers and process supervisors."""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

CACHE_PROBE_KEY = "healthz:cache"


def cache_state():
    """The default cache is "ok" when a value written to it reads back, else "degraded".
    Never an error, never a long wait: with Redis out the cache's errors are misses and no-ops,
    and its breaker answers at once (pages/caching/breaker.py)."""
    try:
        cache.set(CACHE_PROBE_KEY, "ok", 30)
        return "ok" if cache.get(CACHE_PROBE_KEY) == "ok" else "degraded"
    except Exception:  # a cache that raises is a degraded cache, not a failed check
        return "degraded"


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when this process can reach the database, 503 when it cannot.
    The cache is reported, not required: without it pages are slower, never errors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "cache": cache_state()},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache_state()})


@never_cache
@require_safe
def liveness(request):
    """For process supervisors: 200 while the process answers, whatever the database does.
    Also the benchmark's "trivial view": the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain")
