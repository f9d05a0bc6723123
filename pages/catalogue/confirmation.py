"""Confirming an entry's sections as still true, without changing them: each chosen section's
"last confirmed" date moves to today, at once and without review (docs/catalogue.md says why:
nothing a reader sees changes but the date, so there is nothing for a moderator to check).

A confirmation is a revision of its own, logged as "Confirmed sections" (LOG_ACTION): the
page's history shows it, and the public "What changed" list (history.py) reads it like any
other published revision. A live entry gets a new published revision from its live content with
the new dates; a draft being worked on (or in moderation) gets the same dates in a new draft on
top, so publishing that draft later does not take them back. An entry never published gets the
new draft only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.signals import page_published, published

from . import sections
from .models.entries import CatalogueEntryPage

LOG_ACTION = "catalogue.confirm"
LOG_ACTIONS = [
    (LOG_ACTION, "Confirm sections", "Confirmed sections as still true, without changes"),
]

CONFIRMABLE = {section.key: section for section in sections.SECTIONS if section.confirmed_field}


class Refused(Exception):
    """Nothing was confirmed; the message says why."""


class PublishKeepingModeration(PublishPageRevisionAction):
    """Wagtail's publish, without cancelling the moderation the entry's draft is in (Wagtail
    cancels it on any publish, WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH): a confirmation publishes
    the live content with new dates, and the draft under review stays under review. The
    signals are sent as Wagtail sends them, so the page cache and search follow. (The comments'
    positions Wagtail saves here are untouched by a confirmation.)"""

    def _after_publish(self):
        page_published.send(
            sender=self.object.specific_class, instance=self.object.specific, revision=self.revision
        )
        published.send(sender=type(self.object), instance=self.object, revision=self.revision)


def register_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


def section_choices(entry):
    """(section, its last confirmed date) for each section that has one, as the entry's latest
    version (its draft, if any) has it."""
    latest = entry.get_latest_revision_as_object()
    return [(section, sections.confirmed(latest, section)) for section in CONFIRMABLE.values()]


def confirm(entry, keys, user):
    """Confirm the sections named by `keys` as of today. Returns the sections confirmed."""
    chosen = []
    for key in dict.fromkeys(keys):
        if key not in CONFIRMABLE:
            raise Refused(_("Choose the sections to confirm from the list."))
        chosen.append(CONFIRMABLE[key])
    if not chosen:
        raise Refused(_("Choose at least one section to confirm."))
    today = timezone.localdate()
    with transaction.atomic():
        # One confirmation at a time per entry: the second waits and then builds on the first.
        page = CatalogueEntryPage.objects.select_for_update().get(pk=entry.pk)
        draft = page.latest_revision if page.has_unpublished_changes else None
        if page.live:
            for section in chosen:
                setattr(page, section.confirmed_field, today)
            revision = page.save_revision(user=user, changed=False, clean=False)
            PublishKeepingModeration(
                revision, user=user, changed=False, log_action=LOG_ACTION
            ).execute(skip_permission_checks=True)
        if draft is not None or not page.live:
            base = draft or page.latest_revision
            working = base.as_object() if base else page
            for section in chosen:
                setattr(working, section.confirmed_field, today)
            # The draft keeps the new dates; it is still a draft, unpublished.
            working.save_revision(
                user=user, clean=False, log_action=False if page.live else LOG_ACTION
            )
    return chosen
