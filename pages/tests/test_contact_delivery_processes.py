"""Each contact email is sent once, even when the task worker and the retry command run at the
same moment: real processes with production settings, one PostgreSQL database, and a mail server
of the test's own that counts what reaches it.

PostgreSQL only: SQLite lets one process write at a time, so processes there never race the way
they do in production. CI's second pass sets DATABASE_URL and runs it."""

import secrets
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from conftest import clean_env
from pages.contacts.models import ContactMessage
from pages.contacts.tasks import send_contact_message_email
from pages.models import OrganisationSettings

from .servers import MailServer, stop

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 120

# Each process sets Django up, says it is ready, and waits for the gate: so they start their
# work at the same moment rather than one start-up time apart.
AT_THE_GATE = """
import pathlib, sys, time
import django
django.setup()
from django.core.management import call_command
gate, ready = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
deadline = time.monotonic() + 60
while not gate.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
call_command(*sys.argv[3:])
"""


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.close()


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_and_retry_command_at_the_same_moment_send_each_email_once(
    mail_server, organisation, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (DATABASE_URL): SQLite lets one process write at a time, so the "
            "worker and the retry command never race there as they do in production."
        )
    # Received ten minutes ago and queued, but the worker was down: now it starts again just as
    # the retry command's cron job comes round, which takes messages left pending over 5 minutes.
    received = timezone.now() - timedelta(minutes=10)
    messages = ContactMessage.objects.bulk_create(
        ContactMessage(
            name=f"Sender {n}",
            email=f"sender-{n}@example.org",
            message=f"Message number {n}.",
            routed_to_email=f"contact-{n}@example.org",
            created_at=received,
        )
        for n in range(MESSAGES)
    )
    OrganisationSettings.load()  # the settings row exists before the processes read it
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for message in messages:
            send_contact_message_email.enqueue(message.pk)

    env = clean_env(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SITE_URL="https://ioi.test",
        DATABASE_URL=database_url(),
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(mail_server.port),
        DJANGO_LOG_LEVEL="ERROR",
    )
    gate = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(4)]
    commands = [
        ["db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-1"],
        ["db_worker", "--batch", "--no-startup-delay", "--worker-id", "worker-2"],
        ["send_pending_contact_messages"],
        ["send_pending_contact_messages"],
    ]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", AT_THE_GATE, str(gate), str(ready_file), *command],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for command, ready_file in zip(commands, ready, strict=True)
    ]
    try:
        deadline = time.monotonic() + 60
        while not all(path.exists() for path in ready) and time.monotonic() < deadline:
            time.sleep(0.01)
        gate.touch()
        outputs = [process.communicate(timeout=180) for process in processes]
    finally:
        for process in processes:
            stop(process)

    for command, process, (out, err) in zip(commands, processes, outputs, strict=True):
        assert process.returncode == 0, f"{command}: {out.decode()}\n{err.decode()}"
    sent_to = Counter(to for recipients in mail_server.received for to in recipients)
    twice = {to: n for to, n in sent_to.items() if n > 1}
    assert not twice, (
        f"{sum(sent_to.values())} emails for {MESSAGES} messages: {len(twice)} messages were "
        f"emailed more than once, up to {max(twice.values())} times"
    )
    assert set(sent_to) == {message.routed_to_email for message in messages}
    assert set(ContactMessage.objects.values_list("delivery", flat=True)) == {"sent"}
