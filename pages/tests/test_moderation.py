"""The moderation journey on the server: who is told what, what the dashboard shows each role,
and scheduled publishing and expiry through `publish_scheduled`."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conftest import add_page
from pages.contacts.models import ContactMessage
from pages.models import ImpactPage, StandardPage


@pytest.fixture
def submitted(site_tree, make_user):
    """The impact page, changed by an editor and submitted for moderation."""
    editor = make_user("editor")
    impact = site_tree.impact
    impact.introduction = "<p>Now with this year's figures.</p>"
    impact.save_revision(user=editor)
    state = impact.get_workflow().start(impact, editor)
    return impact, editor, state.current_task_state


@pytest.mark.django_db
def test_submitting_tells_the_moderators_by_email(site_tree, make_user):
    moderator = make_user("moderator")
    editor = make_user("editor")
    mail.outbox.clear()
    site_tree.impact.save_revision(user=editor)
    site_tree.impact.get_workflow().start(site_tree.impact, editor)
    to_moderator = [m for m in mail.outbox if moderator.email in m.to]
    assert to_moderator and "Our impact" in to_moderator[0].body
    assert not [m for m in mail.outbox if editor.email in m.to]


@pytest.mark.django_db
def test_a_moderator_asking_for_changes_tells_the_editor_with_the_comment(
    client, make_user, submitted
):
    impact, editor, task_state = submitted
    client.force_login(make_user("moderator"))
    mail.outbox.clear()
    url = reverse("wagtailadmin_pages:workflow_action", args=[impact.pk, "reject", task_state.pk])
    client.post(url, {"comment": "Please cite the 2025 report."})

    assert TaskState.objects.get(pk=task_state.pk).status == TaskState.STATUS_REJECTED
    to_editor = [m for m in mail.outbox if editor.email in m.to]
    assert to_editor, "the editor was not told"
    assert "Please cite the 2025 report." in to_editor[0].body
    assert not ImpactPage.objects.get(pk=impact.pk).introduction.startswith("<p>Now with")


@pytest.mark.django_db
def test_approval_publishes_and_tells_the_editor(client, make_user, submitted):
    impact, editor, task_state = submitted
    client.force_login(make_user("moderator"))
    mail.outbox.clear()
    url = reverse("wagtailadmin_pages:workflow_action", args=[impact.pk, "approve", task_state.pk])
    client.post(url, {"comment": ""})

    assert "this year's figures" in client.get(impact.url).content.decode()
    assert [m for m in mail.outbox if editor.email in m.to]


@pytest.mark.django_db
def test_the_moderator_dashboard_lists_pages_awaiting_review(client, make_user, submitted):
    client.force_login(make_user("moderator"))
    html = client.get("/admin/").content.decode()
    assert "Awaiting your review" in html
    assert "Our impact" in html


@pytest.mark.django_db
def test_the_editor_dashboard_shows_their_submission_and_no_messages(client, make_user, submitted):
    _, editor, _ = submitted
    ContactMessage.objects.create(name="Sam Sender", email="s@example.org", message="Hello")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Our impact" in html  # "Your pages in a workflow"
    assert "Awaiting your review" not in html
    assert "New messages from the public" not in html
    assert "Sam Sender" not in html


@pytest.mark.django_db
def test_the_contact_manager_dashboard_counts_new_messages(client, make_user, site_tree):
    ContactMessage.objects.create(name="Sam Sender", email="s@example.org", message="Hello")
    ContactMessage.objects.create(name="Ann Answered", email="a@example.org", message="Hi")
    ContactMessage.objects.filter(name="Ann Answered").update(status=ContactMessage.Status.HANDLED)
    client.force_login(make_user("contact manager"))
    html = client.get("/admin/").content.decode()
    assert "New messages from the public" in html
    assert "1 new message</strong>" in html
    assert "Sam Sender" in html and "Ann Answered" not in html
    assert "?status=new" in html
    assert "Link health" not in html  # the link library is the editors' business


# Scheduling


def schedule_through_the_admin(client, page, go_live_at):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": "Published on schedule.",
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0},
            "go_live_at": timezone.localtime(go_live_at).strftime("%Y-%m-%d %H:%M"),
            "action-publish": "1",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_scheduled_page_goes_live_only_when_publish_scheduled_runs_after_its_time(
    client, make_user, site_tree
):
    page = add_page(site_tree.home, StandardPage, title="Annual report", live=False)
    client.force_login(make_user("moderator"))
    go_live = timezone.now() + timedelta(hours=2)
    schedule_through_the_admin(client, page, go_live)
    client.logout()

    call_command("publish_scheduled")
    assert client.get("/annual-report/").status_code == 404

    with time_machine.travel(go_live + timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    response = client.get("/annual-report/")
    assert response.status_code == 200
    assert "Published on schedule." in response.content.decode()


@pytest.mark.django_db
def test_a_page_with_an_expiry_date_is_unpublished_by_publish_scheduled(client, site_tree):
    about = site_tree.about
    about.expire_at = timezone.now() + timedelta(days=1)
    about.save_revision().publish()
    assert client.get(about.url).status_code == 200

    with time_machine.travel(about.expire_at + timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    assert client.get(about.url).status_code == 404
    assert Page.objects.get(pk=about.pk).expired
