"""The contact form: stored first, emailed by a task, never lost, never twice, no spam."""

import re
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import pre_save
from django.test import override_settings
from django.utils import timezone

from pages.contacts.forms import make_form_token
from pages.contacts.models import ContactMessage
from pages.contacts.tasks import send_contact_message_email

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def form_data(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "purpose": "",
        "message": "We would like to talk about funding a repository.",
        "website": "",
        "form_token": make_form_token(issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


@pytest.fixture
def send(client, site_tree, contacts, django_capture_on_commit_callbacks):
    """Post the form as a visitor would; background work runs as it would after the commit."""

    def _send(ip="203.0.113.7", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/contact/", form_data(**overrides), REMOTE_ADDR=ip)

    return _send


def purpose_id(name):
    from pages.contacts.models import ContactPurpose

    return ContactPurpose.objects.get(name=name).pk


def test_valid_post_stores_one_message_emails_the_routed_contact_and_redirects(send, contacts):
    response = send(purpose=purpose_id("Press"))

    assert response.status_code == 303 and response["Location"] == "/contact/thanks/"
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.purpose_name) == (
        "Ada Lovelace",
        "ada@example.org",
        "Press",
    )
    assert message.routed_to == contacts.press and message.delivery == "sent"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["press@example.org"] and email.reply_to == ["ada@example.org"]
    assert "funding a repository" in email.body


def test_a_purpose_without_a_contact_goes_to_the_primary_contact(send, contacts):
    send(purpose=purpose_id("Partnerships and engagement"))
    assert mail.outbox[0].to == ["info@example.org"]
    send(purpose="", message="Another, different message about something else.")
    assert mail.outbox[1].to == ["info@example.org"]


def test_a_routing_only_contact_still_receives_its_messages(send, contacts):
    send(purpose=purpose_id("Funding"))
    assert mail.outbox[0].to == ["funds@example.org"]


def test_thank_you_page_after_sending(client, send):
    response = send()
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "<h1>Thank you for your message</h1>" in thanks.content.decode()
    # A refresh of the thank-you page is a GET: nothing is stored or sent again.
    client.get(response["Location"])
    assert ContactMessage.objects.count() == 1 and len(mail.outbox) == 1


def test_the_same_form_sent_twice_stores_and_sends_one_message(send):
    token = make_form_token(issued_at=time.time() - 30)
    first = send(form_token=token)
    second = send(form_token=token)
    assert first.status_code == second.status_code == 303
    assert ContactMessage.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("email", "not-an-address", "Enter a valid email address."),
        ("message", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("purpose", "999999", "Select a valid choice."),
    ],
)
def test_invalid_post_shows_errors_by_the_field_keeps_the_input_and_stores_nothing(
    send, field, value, error
):
    response = send(
        **{field: value, "message": "Keep what I typed, please." if field != "message" else value}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert 'class="error-summary" role="alert"' in html
    if field != "message":
        assert "Keep what I typed, please.</textarea>" in html
    assert 'value="ada@example.org"' in html or field == "email"
    assert ContactMessage.objects.count() == 0 and len(mail.outbox) == 0


def test_an_expired_form_asks_to_send_again_and_keeps_the_text(send):
    old = make_form_token(issued_at=time.time() - 3 * 24 * 3600)
    response = send(form_token=old)
    html = response.content.decode()
    assert response.status_code == 200 and "open for a long time" in html
    assert "funding a repository" in html
    assert ContactMessage.objects.count() == 0


@pytest.mark.parametrize(
    "bot_fields",
    [
        lambda: {"website": "http://spam.example"},  # filled the hidden honeypot
        lambda: {"form_token": make_form_token()},  # sent the moment the form was shown
        lambda: {"form_token": "forged"},
        lambda: {"form_token": ""},
    ],
    ids=["honeypot", "too fast", "forged token", "no token"],
)
def test_bot_posts_see_the_thank_you_but_nothing_is_stored_or_sent(send, bot_fields):
    response = send(**bot_fields())
    assert response.status_code == 303 and response["Location"] == "/contact/thanks/"
    assert ContactMessage.objects.count() == 0 and len(mail.outbox) == 0


def test_rate_limit_answers_429_and_stores_nothing_more(send):
    for n in range(5):
        assert send(message=f"Message number {n} about our work.").status_code == 303
    blocked = send(message="The sixth message in ten minutes.")
    html = blocked.content.decode()
    assert blocked.status_code == 429 and "<h1>Too many messages for now</h1>" in html
    assert ContactMessage.objects.count() == 5
    # Another visitor is not held back.
    assert send(ip="198.51.100.9", message="From someone else.").status_code == 303


# Cross-site posts: refused by their headers, with no CSRF cookie or token
# (pages/http/cross_origin.py, docs/security.md).
FOREIGN = "https://elsewhere.example"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": FOREIGN},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},  # a browser that keeps Origin back
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "https://blog.testserver"},
        {"HTTP_ORIGIN": FOREIGN},  # a browser without Fetch Metadata
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame
    ],
    ids=["cross-site", "cross-site-no-origin", "same-site", "foreign-origin", "null-origin"],
)
def test_a_post_from_another_site_is_refused_with_a_403_that_says_why_and_keeps_the_text(
    client, site_tree, contacts, headers
):
    response = client.post(
        "/contact/", form_data(message="My own words, typed with care & <b>kept</b>."), **headers
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "sent from another website" in html
    assert "My own words, typed with care &amp; &lt;b&gt;kept&lt;/b&gt;." in html
    assert 'value="Ada Lovelace"' in html
    assert ContactMessage.objects.count() == 0
    assert "set-cookie" not in response.headers
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_text_kept_after_a_refusal_can_be_sent_from_our_own_page(client, site_tree, contacts):
    refused = client.post(
        "/contact/",
        form_data(message="Sent again from your site."),
        HTTP_SEC_FETCH_SITE="cross-site",
    ).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', refused).group(1)
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        again = client.post(
            "/contact/",
            form_data(message="Sent again from your site.", form_token=token),
            HTTP_SEC_FETCH_SITE="same-origin",
        )
    assert again.status_code == 303
    assert ContactMessage.objects.get().message == "Sent again from your site."


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "none"},  # sent from a bookmark or typed in
        {"HTTP_ORIGIN": "http://testserver"},  # a browser without Fetch Metadata, our origin
        {},  # neither: no browser sent it; the form's own checks decide
    ],
    ids=["same-origin", "none", "own-origin", "neither-header"],
)
def test_a_post_from_our_own_pages_or_with_neither_header_is_taken(send, headers):
    assert send(**headers).status_code == 303
    assert ContactMessage.objects.count() == 1


def test_a_post_with_neither_header_still_meets_the_bot_checks(send):
    assert send(website="http://spam.example").status_code == 303  # the honeypot: thanked
    assert send(form_token=make_form_token()).status_code == 303  # too fast: thanked
    assert ContactMessage.objects.count() == 0


def test_staff_forms_keep_djangos_csrf_token(site_tree):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/admin/login/", {"username": "someone", "password": "x"}
    )
    assert response.status_code == 403
    assert "<h1>Please send the form again</h1>" in response.content.decode()


def test_a_replayed_token_stores_the_same_message_once_and_another_message_once(send):
    """A token is not spent on first use: every reader of a cached contact page holds the same
    one. The same post again (a replay, a double click) is one submission; another message
    with the same token is another reader's, stored once too."""
    token = make_form_token(issued_at=time.time() - 120)
    assert send(form_token=token).status_code == 303
    assert send(form_token=token).status_code == 303
    assert send(form_token=token, name="Grace Hopper", message="Another reader.").status_code == 303
    assert send(form_token=token, name="Grace Hopper", message="Another reader.").status_code == 303
    assert sorted(ContactMessage.objects.values_list("name", flat=True)) == [
        "Ada Lovelace",
        "Grace Hopper",
    ]


def test_the_contact_page_comes_from_the_cache_sets_no_cookie_and_an_hour_old_copy_still_posts(
    client, site_tree, contacts, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 3600
    first = client.get("/contact/")
    assert first["X-Page-Cache"] == "miss"
    cached = client.get("/contact/")
    assert cached["X-Page-Cache"] == "hit"
    assert "set-cookie" not in first.headers and "set-cookie" not in cached.headers
    assert not client.cookies
    token = form_token_in(cached.content.decode())
    assert token == form_token_in(first.content.decode())  # one copy, one token, for everyone

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        for name in ("Ada Lovelace", "Grace Hopper"):  # two readers of the same copy
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    "/contact/",
                    form_data(name=name, form_token=token),
                    HTTP_SEC_FETCH_SITE="same-origin",
                )
            assert response.status_code == 303
    assert ContactMessage.objects.count() == 2


def closed_port():
    """A port on 127.0.0.1 where nothing listens: a mail server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smtp_down():
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=2,
    )


def test_a_failing_mail_server_leaves_the_message_stored_and_marked(send):
    with smtp_down():
        response = send()
    assert response.status_code == 303
    message = ContactMessage.objects.get()
    assert message.delivery == "failed" and message.send_attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at is not None and message.state == "Email failed"


# Transactional: the worker closes its database connection between tasks, as in production.
@pytest.mark.django_db(transaction=True)
def test_failed_email_is_retried_by_the_worker_after_its_back_off(send):
    from django_tasks_db.models import DBTaskResult

    database_tasks = override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    )
    with database_tasks:
        with smtp_down():
            send()
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        message = ContactMessage.objects.get()
        assert message.delivery == "failed" and message.send_attempts == 1
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after is not None and retry.run_after == message.next_attempt_at

        # Before its time the retry waits; once the back-off has passed it sends.
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert len(mail.outbox) == 0
        back_off_over = timezone.now()
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=back_off_over)
        ContactMessage.objects.filter(pk=message.pk).update(next_attempt_at=back_off_over)
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    message.refresh_from_db()
    assert message.delivery == "sent" and message.send_attempts == 2
    assert len(mail.outbox) == 1


def test_send_pending_command_retries_what_is_due(send):
    with smtp_down():
        send()
    message = ContactMessage.objects.get()
    ContactMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    out = StringIO()
    call_command("send_pending_contact_messages", stdout=out)
    message.refresh_from_db()
    assert message.delivery == "sent" and "Sent 1, failed 0." in out.getvalue()


def test_payload_is_escaped_in_the_email(send):
    send(name=PAYLOAD, message=PAYLOAD)
    html_part = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html_part and "<img src=x" not in html_part
    assert "&lt;script&gt;" in html_part
    assert "\n" not in mail.outbox[0].subject


def test_too_many_fields_or_too_big_a_post_is_refused_not_a_server_error(send):
    many = send(**{f"field{n}": "x" for n in range(11_000)})
    huge = send(message="x" * 3_000_000)
    assert many.status_code == 400 and huge.status_code == 400
    assert ContactMessage.objects.count() == 0


def test_a_contact_page_kept_private_takes_no_message_from_outside(send, site_tree):
    """Posts are received after Wagtail's view restrictions are checked, never before."""
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_tree.contact, restriction_type=PageViewRestriction.LOGIN
    )
    response = send()
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not ContactMessage.objects.exists() and not mail.outbox


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed_and_store_nothing(client, site_tree, contacts, method):
    response = getattr(client, method)("/contact/", form_data())
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert not ContactMessage.objects.exists()


def test_a_post_to_the_thank_you_page_is_not_taken_for_a_message(client, site_tree, contacts):
    response = client.post("/contact/thanks/", form_data())
    assert response.status_code == 200 and not ContactMessage.objects.exists()


def test_when_the_task_queue_is_down_the_message_is_kept_for_the_retry_command(
    send, monkeypatch, caplog
):
    from pages.contacts import views

    def queue_down(message_id):
        raise ConnectionError("the task database is unreachable")

    monkeypatch.setattr(views, "send_contact_message_email", SimpleNamespace(enqueue=queue_down))
    response = send()

    assert response.status_code == 303 and response["Location"] == "/contact/thanks/"
    message = ContactMessage.objects.get()
    assert message.delivery == ContactMessage.Delivery.PENDING and not mail.outbox
    assert "could not queue the email" in caplog.text


# Sending each email once: a sender claims a message before it sends it.


def received_earlier(minutes=10, **fields):
    """A message as the form stores it, received some minutes ago, its email not yet sent."""
    return ContactMessage.objects.create(
        name="Ada Lovelace",
        email="ada@example.org",
        message="About funding a repository.",
        routed_to_email="info@example.org",
        created_at=timezone.now() - timedelta(minutes=minutes),
        **fields,
    )


def retry_command():
    out = StringIO()
    call_command("send_pending_contact_messages", stdout=out)
    return out.getvalue()


def test_a_message_another_sender_holds_is_not_sent_by_the_worker_or_the_retry_command(
    organisation,
):
    message = received_earlier()
    held = ContactMessage.objects.claim(message.pk)  # another process, mid-send
    assert held.delivery == "sending" and held.send_attempts == 1

    send_contact_message_email.enqueue(message.pk)
    out = retry_command()

    assert not mail.outbox and "Sent 0, failed 0." in out
    assert ContactMessage.objects.claim(message.pk) is None
    assert held.record_sent()
    message.refresh_from_db()
    assert message.delivery == "sent" and message.send_attempts == 1


def test_a_claim_whose_sender_died_is_taken_back_by_the_retry_command_and_sent_once(
    organisation,
):
    died = received_earlier()
    busy = received_earlier()
    ContactMessage.objects.claim(died.pk)
    ContactMessage.objects.claim(busy.pk)
    claim_timeout = settings.CONTACT_EMAIL_CLAIM_MINUTES
    ContactMessage.objects.filter(pk=died.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=claim_timeout, seconds=1)
    )
    ContactMessage.objects.filter(pk=busy.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=claim_timeout - 1)
    )

    out = retry_command()
    again = retry_command()

    died.refresh_from_db()
    busy.refresh_from_db()
    assert "Sent 1, failed 0." in out and "1 left half-sent by a sender that stopped" in out
    assert "Sent 0, failed 0." in again
    assert len(mail.outbox) == 1
    assert died.delivery == "sent" and died.send_attempts == 2
    assert busy.delivery == "sending"  # its sender may still be at work: left alone


def test_a_sender_that_lost_its_claim_leaves_the_next_senders_outcome_alone(organisation):
    message = received_earlier()
    slow = ContactMessage.objects.claim(message.pk)
    ContactMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=settings.CONTACT_EMAIL_CLAIM_MINUTES + 1)
    )
    assert "Sent 1, failed 0." in retry_command()  # taken back and sent

    assert not slow.record_failure(ConnectionError("the slow sender's server went away"))
    message.refresh_from_db()
    assert message.delivery == "sent" and message.next_attempt_at is None
    assert "Sent 0, failed 0." in retry_command() and len(mail.outbox) == 1


def test_a_message_whose_sender_dies_every_time_is_given_up_after_the_last_attempt(
    organisation,
):
    message = received_earlier(send_attempts=settings.CONTACT_EMAIL_MAX_ATTEMPTS - 1)
    ContactMessage.objects.claim(message.pk)
    ContactMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )

    out = retry_command()

    message.refresh_from_db()
    assert "Sent 0, failed 0." in out and not mail.outbox
    assert message.delivery == "failed" and message.next_attempt_at is None
    assert message.last_error.startswith("Interrupted") and message.state == "Email failed"
    assert ContactMessage.objects.claim(message.pk) is None


# When the message cannot be stored: the visitor keeps the text and is never thanked.


def not_sent_page(response):
    """The page a visitor sees when their message was not stored: the text kept, a clear
    error, a 503 that says when to try again, never a thank-you."""
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "We could not store your message, so it has not reached us." in html
    assert "Your message was not sent" in html and 'role="alert"' in html
    assert "We would like to talk about funding a repository.</textarea>" in html
    assert 'value="Ada Lovelace"' in html and 'value="ada@example.org"' in html
    assert "Thank you" not in html and not response.has_header("Location")
    return html


def form_token_in(html):
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


@contextmanager
def writes_refused():
    """The database refuses writes, as a replica does after a failover: every new transaction
    is read-only (PostgreSQL), or the connection may only read (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET default_transaction_read_only = on")
        else:
            cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET default_transaction_read_only = off")
            else:
                cursor.execute("PRAGMA query_only = OFF")


# Transactional: the view's transaction is then a real one, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_database_refusing_writes_shows_the_form_again_and_sending_it_again_stores_once(
    send, caplog
):
    with writes_refused():
        response = send()
    html = not_sent_page(response)
    assert not ContactMessage.objects.exists() and not mail.outbox
    assert "could not store a message" in caplog.text

    # Sent again as the page gave it back (the same submission): stored and thanked once.
    again = send(form_token=form_token_in(html))
    resent = send(form_token=form_token_in(html))
    assert again.status_code == resent.status_code == 303
    assert ContactMessage.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_constraint_other_than_the_submission_id_is_not_taken_for_a_double_submission(
    send, caplog
):
    """Staff delete the purpose the visitor chose while the message is being stored: its
    foreign key fails when the transaction commits. The receiver below only times that
    deletion (another connection, in another thread, as a staff member's request would be);
    the failure is the database's own."""
    from pages.contacts.models import ContactPurpose

    events = ContactPurpose.objects.create(name="Events")

    def staff_delete_the_purpose(sender, instance, **kwargs):
        def delete():
            ContactPurpose.objects.filter(pk=events.pk).delete()
            connection.close()

        staff = threading.Thread(target=delete)
        staff.start()
        staff.join(timeout=30)

    pre_save.connect(staff_delete_the_purpose, sender=ContactMessage)
    try:
        response = send(purpose=events.pk)
    finally:
        pre_save.disconnect(staff_delete_the_purpose, sender=ContactMessage)

    not_sent_page(response)
    assert not ContactPurpose.objects.filter(pk=events.pk).exists()
    assert not ContactMessage.objects.exists() and not mail.outbox
    assert "IntegrityError" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_when_the_database_goes_away_while_storing_the_visitor_still_keeps_their_text(send, caplog):
    """The database stops answering between reading the form's choices and storing the
    message (a restart, a failover): the contact page cannot be drawn either, so a plain page
    without a query gives the text back. The receiver only times the outage; the server
    really drops the connection and refuses new ones."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): the test has the server refuse connections.")
    import psycopg

    name = connection.settings_dict["NAME"]
    admin = psycopg.connect(
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"],
        password=connection.settings_dict["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )

    def database_goes_away(sender, instance, **kwargs):
        pid = connection.connection.info.backend_pid
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    pre_save.connect(database_goes_away, sender=ContactMessage)
    try:
        response = send()
    finally:
        pre_save.disconnect(database_goes_away, sender=ContactMessage)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
        connection.close()

    html = not_sent_page(response)
    assert 'action="/contact/"' in html and 'name="purpose" value=""' in html
    assert "Send message again" in html
    assert not ContactMessage.objects.exists() and not mail.outbox
