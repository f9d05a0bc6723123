"""Is the task worker keeping up? For an uptime monitor (`/healthz/tasks/`) and for staff (a
warning on the admin dashboard).

In production the worker (`manage.py db_worker`) sends the contact-form emails, keeps the search
and reference indexes up to date, deletes removed images' and documents' files and purges the
CDN (docs/deployment.md). When it stops, nothing fails at once: tasks wait in the database. So
what is watched is the oldest task that is due and still waiting."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, F, Min, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class QueueState:
    waiting: int
    oldest_seconds: int  # how long the oldest due task has waited; 0 when none waits
    stalled_after: int

    @property
    def stalled(self):
        return self.oldest_seconds > self.stalled_after


def queue_state():
    """Due tasks waiting for a worker. A task retried later (back-off) is due at its
    `run_after`; until then it is not waiting, and not counted."""
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    summary = due.aggregate(oldest=Min(since))
    waiting = due.count() if summary["oldest"] else 0
    age = (now - summary["oldest"]) if summary["oldest"] else timedelta(0)
    return QueueState(
        waiting=waiting,
        oldest_seconds=max(0, int(age.total_seconds())),
        stalled_after=settings.TASKS_STALLED_AFTER_SECONDS,
    )


@never_cache
@require_safe
def tasks_healthz(request):
    """200 while the worker keeps up, 503 when the oldest due task has waited longer than
    TASKS_STALLED_AFTER_SECONDS: for an uptime monitor, not for a load balancer (a stopped
    worker is no reason to take web processes out of rotation)."""
    state = queue_state()
    body = {
        "status": "stalled" if state.stalled else "ok",
        "waiting": state.waiting,
        "oldest_waiting_seconds": state.oldest_seconds,
        "stalled_after_seconds": state.stalled_after,
    }
    return JsonResponse(body, status=503 if state.stalled else 200)


class StalledTasksPanel(Component):
    """On the dashboard, only while tasks are stalled."""

    name = "stalled_tasks"
    template_name = "pages/admin/stalled_tasks_panel.html"
    order = 50  # above the other panels: it explains why emails and search lag

    def __init__(self, state):
        self.state = state

    def get_context_data(self, parent_context):
        return {"state": self.state, "minutes": self.state.oldest_seconds // 60}
