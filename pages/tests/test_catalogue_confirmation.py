"""Confirming an entry's sections without changing them, and the public "What changed" list
(issue 28): a confirmation moves each chosen section's "last confirmed" date at once, keeps a
draft's work and dates, is checked on the server; the entry page lists its dated changes from
its published revisions in a fixed number of queries, never naming who reviewed them."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from wagtail.models import PageLogEntry

from conftest import build_home, world
from pages.catalogue.models import CatalogueEntryPage
from pages.tests.cataloguing import build_catalogue

pytestmark = pytest.mark.django_db

OLD = date(2024, 3, 1)


@world
def entry(db):
    home = build_home()
    world = build_catalogue(home, count=1)
    entry = world.entries[0]
    entry.about_confirmed = entry.funding_confirmed = entry.technical_confirmed = OLD
    entry.save_revision().publish()  # the first publish: "added to the catalogue"
    return CatalogueEntryPage.objects.get(pk=entry.pk)


def confirm_url(entry):
    return f"/admin/catalogue/entries/{entry.pk}/confirm/"


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor")
    client.force_login(user)
    return user


def fresh(entry):
    return CatalogueEntryPage.objects.get(pk=entry.pk)


def test_the_editor_reaches_confirming_from_the_entry_and_a_get_changes_nothing(
    client, entry, editor
):
    edit = client.get(f"/admin/pages/{entry.pk}/edit/").content.decode()
    assert confirm_url(entry) in edit and "Confirm sections as still true" in edit
    page = client.get(confirm_url(entry)).content.decode()
    assert 'name="section" value="about"' in page and "last confirmed 1 March 2024" in page
    assert 'value="header"' not in page  # the overview has no date to move
    assert fresh(entry).about_confirmed == OLD


def test_confirming_moves_only_the_chosen_dates_at_once_and_shows_in_the_history(
    client, entry, editor
):
    before = entry.revisions.count()
    response = client.post(confirm_url(entry), {"section": ["about", "funding"]})
    assert response.status_code == 302 and response["Location"].endswith(f"/{entry.pk}/edit/")

    today = timezone.localdate()
    live = fresh(entry)
    assert (live.about_confirmed, live.funding_confirmed) == (today, today)
    assert live.technical_confirmed == OLD and live.last_confirmed == today
    assert live.live and not live.has_unpublished_changes and not live.workflow_in_progress
    assert live.revisions.count() == before + 1
    logged = PageLogEntry.objects.filter(page=entry, action="catalogue.confirm").get()
    assert logged.user == editor and logged.revision_id == live.live_revision_id
    # The admin's history names it.
    history = client.get(f"/admin/pages/{entry.pk}/history/").content.decode()
    assert "Confirm sections" in history
    public = client.get("/catalogue/entry-1/").content.decode()
    assert f'<time datetime="{today:%Y-%m-%d}">' in public


def test_a_draft_in_progress_keeps_its_changes_and_gets_the_new_dates_too(client, entry, editor):
    draft = fresh(entry)
    draft.summary = "A draft summary, not published yet."
    draft.save_revision(user=editor)

    client.post(confirm_url(entry), {"section": "about"})

    live = fresh(entry)
    assert live.summary == "What entry 1 does." and live.about_confirmed == timezone.localdate()
    assert live.has_unpublished_changes
    latest = live.get_latest_revision_as_object()
    assert latest.summary == "A draft summary, not published yet."
    assert latest.about_confirmed == timezone.localdate()
    # Publishing the draft later keeps the confirmation.
    live.get_latest_revision().publish()
    assert fresh(entry).about_confirmed == timezone.localdate()


def test_a_draft_in_moderation_approved_after_a_confirmation_keeps_the_date(
    client, entry, editor, make_user
):
    draft = fresh(entry)
    draft.funders = "A new grant."
    draft.save_revision(user=editor)
    workflow_state = draft.get_workflow().start(draft, editor)

    client.post(confirm_url(entry), {"section": "technical"})
    workflow_state.refresh_from_db()
    workflow_state.current_task_state.task.specific.on_action(
        workflow_state.current_task_state, make_user("moderator"), "approve"
    )

    live = fresh(entry)
    assert live.funders == "A new grant." and live.technical_confirmed == timezone.localdate()


def test_an_entry_never_published_is_confirmed_in_its_draft(client, entry, editor):
    entry.unpublish()
    client.post(confirm_url(entry), {"section": "community"})
    page = fresh(entry)
    assert not page.live
    assert page.get_latest_revision_as_object().community_confirmed == timezone.localdate()


@pytest.mark.parametrize("role", ["contact manager", "translator"])
def test_who_may_not_edit_the_entry_cannot_confirm_it(client, entry, make_user, role):
    client.force_login(make_user(role))
    revisions = entry.revisions.count()
    assert client.get(confirm_url(entry)).status_code in (302, 403)
    assert client.post(confirm_url(entry), {"section": "about"}).status_code in (302, 403)
    assert fresh(entry).about_confirmed == OLD and entry.revisions.count() == revisions


def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    response = client.post(confirm_url(entry), {"section": "about"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert fresh(entry).about_confirmed == OLD


def test_forged_sections_and_ids_get_a_message_or_a_404_never_a_change(client, entry, editor):
    revisions = entry.revisions.count()
    for sections in ({"section": "no-such-section"}, {"section": "header"}, {}):
        response = client.post(confirm_url(entry), sections, follow=True)
        assert response.status_code == 200
        assert "Choose" in response.content.decode()
    assert client.post("/admin/catalogue/entries/999999/confirm/").status_code == 404
    index = entry.get_parent()
    assert client.post(f"/admin/catalogue/entries/{index.pk}/confirm/").status_code == 404
    assert fresh(entry).about_confirmed == OLD and entry.revisions.count() == revisions


def test_confirm_is_post_only_in_effect(client, entry, editor):
    assert client.put(confirm_url(entry)).status_code == 405
    assert fresh(entry).about_confirmed == OLD


# What changed, for the public


def lines(html):
    part = html.split('id="section-history"', 1)[1].split("</ul>", 1)[0]
    import re

    return [re.sub(r"<[^>]+>", "", line).strip() for line in part.split("<li>")[1:]]


def test_the_entry_lists_updates_and_confirmations_newest_first_without_the_reviewer(
    client, entry, make_user
):
    moderator = make_user("moderator", "Rigoberta-Reviewer")
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=10)):
        changed = fresh(entry)
        changed.funders = "A grant from a foundation."
        changed.save_revision(user=moderator).publish(user=moderator)
    with time_machine.travel(start + timedelta(days=20)):
        client.force_login(moderator)
        client.post(confirm_url(entry), {"section": ["about"]})
        client.logout()

    html = client.get("/catalogue/entry-1/").content.decode()
    day = lambda n: f"{timezone.localdate(start + timedelta(days=n)):%Y-%m-%d}"  # noqa: E731
    assert lines(html) == [
        f"{day(20)}: About: confirmed as still true",
        f"{day(10)}: Funding: updated",
        f"{day(0)}: Added to the catalogue",
    ]
    assert "Rigoberta" not in html and "moderator" not in html.lower()


def test_a_draft_or_a_save_without_publishing_is_not_in_the_history(client, entry):
    draft = fresh(entry)
    draft.engagement = "Monthly community calls."
    draft.save_revision()
    assert "Community" not in "".join(lines(client.get("/catalogue/entry-1/").content.decode()))


def test_the_history_costs_the_same_queries_however_long(client, entry, django_assert_num_queries):
    client.get("/catalogue/entry-1/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get("/catalogue/entry-1/")
    for n in range(12):
        page = fresh(entry)
        page.volunteers = f"{n} volunteers"
        page.save_revision().publish()
    with django_assert_num_queries(len(short.captured_queries)):
        html = client.get("/catalogue/entry-1/").content.decode()
    assert len(lines(html)) == 13


def test_spanish_history_lines(client, entry):
    page = fresh(entry)
    page.funders = "Una beca."
    page.save_revision().publish()
    from django.utils import translation

    from pages.catalogue import history

    with translation.override("es"):
        words = [
            f"{c.section.title if c.section else ''}: {c.words}" for c in history.changes(page)
        ]
    assert words == [": se añadió al catálogo", "Financiación: se actualizó"][::-1]


def test_the_history_is_cached_with_the_page_and_a_confirmation_empties_it(
    client, entry, make_user, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_CDN_SECONDS = 60
    settings.PAGE_CACHE_STALE_SECONDS = 30
    first = client.get("/catalogue/entry-1/")
    assert first.get("X-Page-Cache") == "miss"
    assert client.get("/catalogue/entry-1/").get("X-Page-Cache") != "miss"
    staff = client_for(make_user("editor"))
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(confirm_url(entry), {"section": "about"})
    again = client.get("/catalogue/entry-1/")
    assert again.get("X-Page-Cache") == "miss"
    assert "About: confirmed as still true" in "".join(lines(again.content.decode()))


def client_for(user):
    from django.test import Client

    staff = Client()
    staff.force_login(user)
    return staff
