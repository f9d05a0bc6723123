"""Health checks for load balancers and process supervisors."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when this process can reach the database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def liveness(request):
    """For process supervisors: 200 while the process answers, whatever the database does.
    Also the benchmark's "trivial view": the whole middleware stack, no query, no template."""
    return HttpResponse("ok", content_type="text/plain")
