"""Staff see, route, handle, export and purge messages in the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from pages.contacts.models import ContactMessage

pytestmark = pytest.mark.django_db

MESSAGES_URL = "/admin/snippets/pages/contactmessage/"
PAYLOAD = '<script>alert("x")</script>'
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)"]


def message(**fields):
    defaults = {"name": "Ada", "email": "ada@example.org", "message": "Hello."}
    return ContactMessage.objects.create(**{**defaults, **fields})


def test_messages_are_listed_newest_first_with_purpose_and_status(admin_client):
    message(name="Older", created_at=timezone.now() - timedelta(days=2), purpose_name="Press")
    message(name="Newer", purpose_name="Funding", delivery="failed")
    html = admin_client.get(MESSAGES_URL).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "Funding" in html and "Email failed" in html


def test_staff_filter_unsent_messages(admin_client):
    message(name="Got through", delivery="sent")
    message(name="Stuck", delivery="failed")
    html = admin_client.get(MESSAGES_URL, {"delivery": "failed"}).content.decode()
    assert "Stuck" in html and "Got through" not in html


def test_staff_search_messages(admin_client):
    message(name="Grace", message="About repositories")
    message(name="Alan", message="About identifiers")
    html = admin_client.get(MESSAGES_URL, {"q": "repositories"}).content.decode()
    assert "Grace" in html and "Alan" not in html


def test_staff_mark_a_message_handled(admin_client):
    received = message(message="Please call me back.")
    edit_url = f"{MESSAGES_URL}edit/{received.pk}/"
    form = admin_client.get(edit_url)
    assert form.status_code == 200 and "Please call me back." in form.content.decode()

    response = admin_client.post(edit_url, {"status": "handled", "notes": "Answered by Sam."})

    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == "handled" and received.notes == "Answered by Sam."
    assert received.message == "Please call me back."  # read-only: not changed by the form


def test_nobody_can_add_a_message_in_the_admin(admin_client):
    response = admin_client.post(
        f"{MESSAGES_URL}add/", {"name": "Fake", "email": "f@example.org", "message": "x"}
    )
    assert response.status_code in (302, 403)
    assert ContactMessage.objects.count() == 0


def test_payload_is_escaped_in_the_admin_listing(admin_client):
    message(name=PAYLOAD, email="ada@example.org", message=PAYLOAD)
    html = admin_client.get(MESSAGES_URL).content.decode()
    assert PAYLOAD not in html and "&lt;script&gt;" in html


def test_csv_export_neutralises_formulas(admin_client):
    for text in FORMULAS:
        message(name=text, message=text)
    response = admin_client.get(MESSAGES_URL, {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    names = sorted(row["Name"] for row in rows)
    assert names == sorted("'" + text for text in FORMULAS)
    assert all(not row["Message"].startswith(("=", "+", "-", "@")) for row in rows)


def test_xlsx_export_neutralises_formulas_and_keeps_payloads_as_text(admin_client):
    for text in [*FORMULAS, PAYLOAD]:
        message(name=text)
    response = admin_client.get(MESSAGES_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Name")
    names = sorted(row[column].value for row in sheet.iter_rows(min_row=2))
    assert names == sorted(["'" + text for text in FORMULAS] + [PAYLOAD])
    assert all(row[column].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_contacts_are_managed_with_search_filters_and_export(admin_client, contacts):
    listing = admin_client.get("/admin/snippets/pages/contact/", {"q": "Pat"}).content.decode()
    assert "Pat Press" in listing and "Info desk" not in listing
    private = admin_client.get("/admin/snippets/pages/contact/", {"is_public": "false"})
    assert "Fund Routing" in private.content.decode()
    export = admin_client.get("/admin/snippets/pages/contact/", {"export": "csv"})
    assert "press@example.org" in b"".join(export.streaming_content).decode()


def purge(*args):
    out = io.StringIO()
    call_command("purge_contact_messages", *args, stdout=out)
    return out.getvalue()


def test_purge_deletes_messages_past_the_retention_period():
    message(name="Old", created_at=timezone.now() - timedelta(days=400))
    message(name="Recent", created_at=timezone.now() - timedelta(days=10))
    out = purge()
    assert "Deleted 1 contact message(s)" in out
    assert list(ContactMessage.objects.values_list("name", flat=True)) == ["Recent"]


def test_purge_takes_a_number_of_days_and_a_dry_run():
    message(name="Recent", created_at=timezone.now() - timedelta(days=10))
    assert "Would delete 1" in purge("--days", "7", "--dry-run")
    assert ContactMessage.objects.count() == 1
    assert "Deleted 1" in purge("--days", "7")


def test_purge_refuses_a_nonsense_period():
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        purge("--days", "0")
