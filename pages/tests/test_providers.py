"""Providers: invited by staff, accepted once through a link that expires, reminded when an
entry goes stale (once, whatever the mail server does), counted on the staff dashboard."""

import socket
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from wagtail.models import GroupPagePermission

from conftest import build_home, create_user, world
from pages.catalogue.models import CatalogueEntryPage
from pages.providers.models import Invitation, Provider, Reminder
from pages.providers.tasks import remind_providers, send_reminder
from pages.tests.cataloguing import build_catalogue
from pages.tests.providing import (
    PROVIDER_PASSWORD,
    accept_invitation,
    invitation_link,
    invite_provider,
    make_provider_account,
)

pytestmark = pytest.mark.django_db


@world
def catalogue(roles):
    """Three entries, each confirmed today (none stale)."""
    catalogue = build_catalogue(build_home(), count=3)
    today = timezone.localdate()
    CatalogueEntryPage.objects.update(technical_confirmed=today, last_confirmed=today)
    for entry in catalogue.entries:
        entry.refresh_from_db()
    return catalogue


@pytest.fixture
def admin_client(client, catalogue):
    client.force_login(create_user("administrator"))
    return client


def test_staff_invite_and_the_provider_accepts_into_an_account_that_edits_only_their_entries(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    first, second, other = catalogue.entries
    response = invite_provider(
        admin_client,
        "Ana Ruiz",
        "ana@example.org",
        [first, second],
        "es",
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.last_error == ""
    assert invitation.sent_at is not None and len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ana@example.org"]
    assert "Ana Ruiz" in email.body and "Entry 1" in email.body and "Entry 2" in email.body
    link = invitation_link("ana@example.org")
    assert "/es/providers/accept/" in link
    # Only the token's hash is kept.
    assert link.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash

    listing = admin_client.get("/admin/provider_invitations/").content.decode()
    assert "Ana Ruiz" in listing and ">Sent<" in listing.replace("\n", "").replace(" ", "")

    admin_client.logout()
    response = accept_invitation(admin_client, link)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    provider = Provider.objects.get()
    assert provider.user.email == "ana@example.org" and provider.language == "es"
    assert provider.user.wagtail_userprofile.preferred_language == "es"
    assert set(provider.entries.all()) == {first, second}
    assert set(
        GroupPagePermission.objects.filter(group=provider.group).values_list(
            "page_id", "permission__codename"
        )
    ) == {(first.pk, "change_page"), (second.pk, "change_page")}
    user = provider.user
    assert user.check_password(PROVIDER_PASSWORD)
    assert first.permissions_for_user(user).can_edit()
    assert not first.permissions_for_user(user).can_publish()
    assert not other.permissions_for_user(user).can_edit()
    # Signed in: the dashboard lists their entries, and the menu nothing else.
    page = admin_client.get("/admin/").content.decode()
    assert "Editar Entry 1" in page and "Editar Entry 2" in page and "Entry 3" not in page
    assert '"wagtail.sidebar.MainMenuModule", "_args": [[], ' in page


def test_a_provider_must_set_up_a_second_factor_where_staff_must(admin_client, catalogue):
    with override_settings(STAFF_2FA_REQUIRED=True):
        invitation = Invitation.objects.create(name="Bo", email="bo@example.org")
        invitation.entries.set(catalogue.entries[:1])
        from pages.providers.tasks import send_invitation

        admin_client.logout()
        send_invitation.call(invitation.pk)
        response = accept_invitation(admin_client, invitation_link("bo@example.org"))
        response = admin_client.get(response["Location"])
        assert (
            response.status_code == 302 and "/admin/second-factor/set-up/" in response["Location"]
        )


def test_a_used_link_an_expired_link_and_a_forged_token_are_refused_clearly(client, catalogue):
    from pages.providers.tasks import send_invitation

    invitation = Invitation.objects.create(name="Cy", email="cy@example.org")
    invitation.entries.set(catalogue.entries[:1])
    send_invitation.call(invitation.pk)
    link = invitation_link("cy@example.org")
    path = "/" + link.split("/", 3)[3]

    assert client.get(path.replace("/accept/", "/accept/x")).status_code == 404
    assert "not valid" in client.get("/providers/accept/forged/").content.decode()
    assert client.get("/providers/accept/" + "a" * 500 + "/").status_code == 404

    # A wrong second password: the form again, with the error, and no account.
    response = client.post(path, {"password1": PROVIDER_PASSWORD, "password2": "other"})
    assert response.status_code == 200 and "The two passwords differ." in response.content.decode()
    response = client.post(path, {"password1": "short", "password2": "short"})
    assert response.status_code == 200 and not Provider.objects.exists()

    assert accept_invitation(client, link).status_code == 302
    client.logout()
    users = get_user_model().objects.count()
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 410
        assert "has been used" in response.content.decode()
    assert get_user_model().objects.count() == users

    late = Invitation.objects.create(name="Di", email="di@example.org")
    late.entries.set(catalogue.entries[1:2])
    send_invitation.call(late.pk)
    Invitation.objects.filter(pk=late.pk).update(expires_at=timezone.now())
    response = accept_invitation(client, invitation_link("di@example.org"))
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not get_user_model().objects.filter(email="di@example.org").exists()


def test_the_invitation_and_its_page_are_in_the_providers_language(client, catalogue):
    from pages.providers.tasks import send_invitation

    invitation = Invitation.objects.create(name="Eva", email="eva@example.org", language="es")
    invitation.entries.set(catalogue.entries[:1])
    send_invitation.call(invitation.pk)
    email = mail.outbox[0]
    assert "Mantenga" in email.subject or "catálogo" in email.subject
    assert "Cada cambio" in email.body
    page = client.get("/" + invitation_link("eva@example.org").split("/", 3)[3])
    assert "Cree su cuenta" in page.content.decode()


def test_forged_entry_ids_in_an_invitation_are_a_form_error(admin_client, catalogue):
    url = "/admin/provider_invitations/new/"
    for forged in (["999999"], ["not-a-number"], [str(catalogue.index.pk)]):
        data = {"name": "Fay", "email": "fay@example.org", "language": "en", "entries": forged}
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert (
            "The provider invitation could not be created due to errors."
            in response.content.decode()
        )
    assert not Invitation.objects.exists() and not mail.outbox


def test_only_administrators_invite(client, catalogue):
    for role in ("editor", "moderator"):
        client.force_login(create_user(role))
        data = {"name": "G", "email": "g@example.org", "language": "en"}
        data["entries"] = [catalogue.entries[0].pk]
        response = client.post("/admin/provider_invitations/new/", data)
        assert response.status_code in (302, 403)
        assert not Invitation.objects.exists()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_down():
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=2,
    )


# Stale entries and reminders


def make_stale(entries, years=2):
    old = timezone.localdate() - timedelta(days=365 * years)
    for entry in entries:
        entry.funding_confirmed = old
        entry.save()


def test_reminders_run_twice_are_sent_once_each_and_the_dashboard_counts_match(client, catalogue):
    first, second, third = catalogue.entries
    ana = make_provider_account("Ana", "ana@example.org", [first, second], "es")
    make_provider_account("Ben", "ben@example.org", [third])
    make_provider_account("Cal", "cal@example.org", [])  # nothing stale: no email
    make_stale([first, third])

    remind_providers.call()
    remind_providers.call()

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    to_ana = next(m for m in mail.outbox if m.to == ["ana@example.org"])
    assert f"/admin/pages/{first.pk}/edit/" in to_ana.body
    assert "Entry 2" not in to_ana.body  # not stale
    assert "Financiación" in to_ana.body  # the stale section, in Spanish
    assert Reminder.objects.count() == 2 and not Reminder.objects.filter(sent_at=None).exists()

    client.force_login(create_user("moderator"))
    page = client.get("/admin/").content.decode()
    assert "<strong>2 entries</strong> have a section last confirmed over a year ago" in page
    assert "2 providers have not answered their reminder" in page

    # Ana saves a change to her entry: she has answered.
    first.save_revision(user=ana.user)
    page = client.get("/admin/").content.decode()
    assert "1 provider has not answered their reminder" in page and "Ben" in page


def test_a_failing_mail_server_retries_the_reminder_without_sending_it_twice(catalogue):
    entry = catalogue.entries[0]
    make_provider_account("Ana", "ana@example.org", [entry])
    make_stale([entry])
    with smtp_down():
        remind_providers.call()
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None and reminder.send_attempts == 1
    assert "ConnectionRefusedError" in reminder.last_error

    remind_providers.call()  # the next day's run: the same reminder, now sent
    # A late duplicate of its task, after the claim has timed out: nothing.
    Reminder.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    send_reminder.call(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.send_attempts == 2
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


def test_a_provider_is_reminded_at_most_once_a_month(catalogue):
    entry = catalogue.entries[0]
    make_provider_account("Ana", "ana@example.org", [entry])
    make_stale([entry])
    remind_providers.call()
    # Last month's reminder, 20 days ago: not yet.
    Reminder.objects.update(created_at=timezone.now() - timedelta(days=20), period="2000-01")
    remind_providers.call()
    assert len(mail.outbox) == 1
    Reminder.objects.update(created_at=timezone.now() - timedelta(days=40), period="2000-01")
    remind_providers.call()
    assert len(mail.outbox) == 2


def test_an_entry_confirmed_within_the_year_is_not_stale(catalogue):
    entry = catalogue.entries[0]
    make_provider_account("Ana", "ana@example.org", [entry])
    entry.funding_confirmed = timezone.localdate() - timedelta(days=300)
    entry.technical_confirmed = date.today()
    entry.save()
    remind_providers.call()
    assert not mail.outbox and not Reminder.objects.exists()


def test_an_invitation_to_a_staff_address_makes_nothing_and_one_to_a_provider_adds_entries(
    client, catalogue
):
    from pages.providers.tasks import send_invitation

    first, second, _ = catalogue.entries
    create_user("editor", username="ed@example.org")
    staff = Invitation.objects.create(name="Ed", email="ED@example.org")
    staff.entries.set([first])
    send_invitation.call(staff.pk)
    path = "/" + invitation_link("ED@example.org").split("/", 3)[3]
    response = accept_invitation(client, "http://x" + path)
    assert response.status_code == 409 and "already has an account" in response.content.decode()
    assert not Provider.objects.exists()

    ana = make_provider_account("Ana", "ana@example.org", [first])
    more = Invitation.objects.create(name="Ana", email="ana@example.org")
    more.entries.set([second])
    send_invitation.call(more.pk)
    response = client.post("/" + invitation_link("ana@example.org").split("/", 3)[3])
    assert (response.status_code, response["Location"]) == (302, "/admin/login/")
    assert set(ana.entries.all()) == {first, second}
    assert get_user_model().objects.filter(email="ana@example.org").count() == 1
