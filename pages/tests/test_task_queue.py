"""Watching the task worker: /healthz/tasks/ for an uptime monitor, and a dashboard warning for
staff, when due tasks wait longer than TASKS_STALLED_AFTER_SECONDS."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pages.caching.tasks import purge_cdn

DATABASE_TASKS = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    TASKS_STALLED_AFTER_SECONDS=600,
)
WARNING = "Background tasks are waiting"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def age(minutes):
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_is_reported_and_a_running_one_clears_it(client, make_user):
    admin = make_user("administrator")
    with DATABASE_TASKS:
        health = client.get("/healthz/tasks/")
        assert health.status_code == 200
        assert health.json() == {
            "status": "ok",
            "waiting": 0,
            "oldest_waiting_seconds": 0,
            "stalled_after_seconds": 600,
        }

        purge_cdn.enqueue()
        purge_cdn.enqueue()
        age(minutes=5)
        health = client.get("/healthz/tasks/")
        assert health.status_code == 200
        assert health.json()["waiting"] == 2
        assert 290 <= health.json()["oldest_waiting_seconds"] <= 310
        assert "no-cache" in health["Cache-Control"]

        age(minutes=11)  # the worker has been stopped for longer than the threshold
        health = client.get("/healthz/tasks/")
        assert health.status_code == 503
        assert health.json()["status"] == "stalled" and health.json()["waiting"] == 2

        client.force_login(admin)
        dashboard = client.get("/admin/").content.decode()
        assert WARNING in dashboard and "the oldest for 11 minutes" in dashboard

        run_worker()
        assert client.get("/healthz/tasks/").status_code == 200
        assert client.get("/healthz/tasks/").json()["waiting"] == 0
        assert WARNING not in client.get("/admin/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_retry_waiting_for_its_time_is_not_a_stall(client):
    with DATABASE_TASKS:
        purge_cdn.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
        age(minutes=30)
        health = client.get("/healthz/tasks/")
        assert health.status_code == 200 and health.json()["waiting"] == 0

        # Once due, it counts from its due time, not from when it was first queued.
        DBTaskResult.objects.update(run_after=timezone.now() - timedelta(minutes=2))
        health = client.get("/healthz/tasks/")
        assert health.status_code == 200 and health.json()["waiting"] == 1
        assert 110 <= health.json()["oldest_waiting_seconds"] <= 130


@pytest.mark.django_db
def test_the_threshold_is_a_setting(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_STALLED_AFTER_SECONDS = 60
    purge_cdn.enqueue()
    age(minutes=2)
    assert client.get("/healthz/tasks/").status_code == 503
    settings.TASKS_STALLED_AFTER_SECONDS = 600
    assert client.get("/healthz/tasks/").status_code == 200


@pytest.mark.django_db
def test_the_task_health_check_takes_no_post(client):
    assert client.post("/healthz/tasks/").status_code == 405
