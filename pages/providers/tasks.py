"""The provider's emails, on the task queue: the invitation, and the reminder that an entry is
stale. Each is sent once (models.SendOnce): claimed before it is sent, its outcome recorded only
while the claim is still its own; a failure lets the claim go and, where the backend can defer,
the task tries again later (the daily `remind_providers` run picks up what is left)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from pages.models.site_settings import OrganisationSettings

from .models import Invitation, Provider, Reminder
from .stale import stale_entries, stale_sections

logger = logging.getLogger(__name__)


def absolute(path):
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def _send(row, language, template, subject, context, task_function):
    org = OrganisationSettings.load()
    try:
        with translation.override(language):
            context = {**context, "organisation": org.organisation_name}
            email = EmailMessage(
                subject=" ".join(str(subject(org)).split()),
                body=render_to_string(template, context),
                to=[context["email"]],
            )
        email.send()
    except Exception as error:
        logger.warning("%s %s: email failed: %s", type(row).__name__, row.pk, error)
        row.record_failure(error)
        if task_function.get_backend().supports_defer:
            later = timezone.now() + timedelta(minutes=4 ** (row.send_attempts - 1))
            task_function.using(run_after=later).enqueue(row.pk)
        return False
    if not row.record_sent():
        logger.warning("%s %s: sent after its claim was taken back.", type(row).__name__, row.pk)
    return True


@task()
def send_invitation(invitation_id):
    claimed = Invitation.claim_with_token(invitation_id)
    if claimed is None:
        return  # sent already, being sent, out of attempts or deleted
    invitation, token = claimed
    with translation.override(invitation.language):
        link = absolute(reverse("provider-accept", args=[token]))
        entries = [entry.title for entry in invitation.entries.order_by("title")]
    _send(
        invitation,
        invitation.language,
        "email/provider_invitation.txt",
        lambda org: (
            translation.gettext("Keep your entry in the %(organisation)s catalogue")
            % {"organisation": org.organisation_name}
        ),
        {
            "email": invitation.email,
            "name": invitation.name,
            "link": link,
            "entries": entries,
            "expires_at": invitation.expires_at,
        },
        send_invitation,
    )


@task()
def send_reminder(reminder_id):
    reminder = Reminder.claim(reminder_id)
    if reminder is None:
        return
    provider = reminder.provider
    with translation.override(provider.language):
        entries = [
            {
                "title": entry.title,
                "sections": stale_sections(entry),
                "edit_url": absolute(reverse("wagtailadmin_pages:edit", args=[entry.pk])),
            }
            for entry in reminder.entries.order_by("title")
        ]
    _send(
        reminder,
        provider.language,
        "email/provider_reminder.txt",
        lambda org: (
            translation.gettext("Please check your entry in the %(organisation)s catalogue")
            % {"organisation": org.organisation_name}
        ),
        {"email": provider.user.email, "name": provider.name, "entries": entries},
        send_reminder,
    )


def due_reminders(today=None):
    """Make this run's reminders: one per provider with a stale entry, unless they had one this
    calendar month or within PROVIDER_REMINDER_INTERVAL_DAYS. Each is stored before its email
    is queued. Returns the new reminders."""
    now = timezone.now()
    today = today or timezone.localdate()
    stale = stale_entries(today)
    recent = now - timedelta(days=settings.PROVIDER_REMINDER_INTERVAL_DAYS)
    made = []
    providers = (
        Provider.objects.filter(entries__in=stale, user__is_active=True)
        .exclude(reminders__created_at__gt=recent)
        .distinct()
    )
    for provider in providers:
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    provider=provider, period=today.strftime("%Y-%m"), created_at=now
                )
                reminder.entries.set(provider.entries.filter(pk__in=stale.values("pk")))
        except IntegrityError:
            continue  # made by another run this month
        made.append(reminder)
    return made


@task()
def remind_providers():
    """The daily run: new reminders, and those an earlier run could not send yet."""
    due_reminders()
    unsent = Reminder.objects.filter(
        sent_at__isnull=True, send_attempts__lt=settings.PROVIDER_EMAIL_MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    for pk in unsent:
        send_reminder.enqueue(pk)
    waiting = Invitation.objects.filter(
        sent_at__isnull=True,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        send_attempts__lt=settings.PROVIDER_EMAIL_MAX_ATTEMPTS,
    ).values_list("pk", flat=True)
    for pk in waiting:
        send_invitation.enqueue(pk)
