"""Which entries are stale (a section last confirmed longer ago than PROVIDER_STALE_AFTER_DAYS),
and which reminded providers have not answered. A section never confirmed has no date and is
not counted: there is nothing yet for the provider to re-confirm, and the catalogue page
already says "Not reported"."""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Revision

from pages.catalogue.models import CatalogueEntryPage
from pages.catalogue.sections import SECTIONS

from .models import Provider, Reminder


def cutoff(today=None):
    today = today or timezone.localdate()
    return today - timedelta(days=settings.PROVIDER_STALE_AFTER_DAYS)


def stale_entries(today=None):
    before = cutoff(today)
    older = [Q(**{f"{name}__lt": before}) for name in CatalogueEntryPage.confirmed_fields]
    return CatalogueEntryPage.objects.filter(reduce(or_, older))


def stale_sections(entry, today=None):
    """The titles of the entry's stale sections, in the active language."""
    before = cutoff(today)
    return [
        str(section.title)
        for section in SECTIONS
        if section.confirmed_field
        and getattr(entry, section.confirmed_field)
        and getattr(entry, section.confirmed_field) < before
    ]


def unanswered_providers():
    """Providers sent a reminder who have saved no change to any of their entries since it was
    made (a confirmation is a change too), with their latest reminder's date, oldest first."""
    latest = Reminder.objects.filter(provider=OuterRef("pk"), sent_at__isnull=False).order_by(
        "-created_at"
    )
    providers = Provider.objects.annotate(reminded_at=latest.values("created_at")[:1]).filter(
        reminded_at__isnull=False
    )
    answered = Revision.page_revisions.filter(
        user_id=OuterRef("user_id"),
        created_at__gt=OuterRef("reminded_at"),
        object_id__in=Provider.entries.through.objects.filter(provider_id=OuterRef(OuterRef("pk")))
        # Revision.object_id is text (it names rows of any model).
        .annotate(key=Cast("catalogueentrypage_id", output_field=CharField()))
        .values("key"),
    )
    return providers.filter(~Exists(answered)).order_by("reminded_at")
