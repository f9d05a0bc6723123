"""What changed on an entry, for the public: a dated line per section that changed ("updated")
or was confirmed as still true ("confirmed"), newest first. Read from the entry's published
revisions (each publish, and each confirmation, confirmation.py, is logged with the revision it
made live), comparing each with the one published before it. Who published or reviewed it is
never read, let alone shown.

One query for any entry, however long its history: the last HISTORY_LIMIT publishes, with their
revisions' content."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from . import sections

# Publishes read, newest first: an entry published every week keeps two years of history.
HISTORY_LIMIT = 100
# What made a revision live: a publish (by hand, on a moderator's approval, or by
# publish_scheduled when its time came) and a confirmation without change
# (confirmation.LOG_ACTION, named again here: this module stands below it).
PUBLISHING_ACTIONS = ("wagtail.publish", "catalogue.confirm")

ADDED = "added"
UPDATED = "updated"
CONFIRMED = "confirmed"
WORDS = {
    ADDED: _("added to the catalogue"),
    UPDATED: _("updated"),
    CONFIRMED: _("confirmed as still true"),
}


@dataclass(frozen=True)
class Change:
    on: date
    section: sections.Section | None  # None: the entry as a whole (its first publish)
    kind: str

    @property
    def words(self):
        return WORDS[self.kind]


def _policies(content):
    rows = content.get("policies") or []
    return sorted(
        (row.get("policy"), row.get("status"), row.get("url") or "")
        for row in rows
        if isinstance(row, dict)
    )


def _fields(section):
    """The revision content's keys that hold what a reader sees of the section."""
    names = set()
    for column in section.columns:
        if column.kind in ("policy", "policy_url"):
            names.add("policies")
        elif column.field and column.field != "relied_on_by":  # kept on the other entries
            names.add(column.field)
    return sorted(names)


SECTION_FIELDS = [(section, _fields(section)) for section in sections.SECTIONS]


def _value(content, name):
    if name == "policies":
        return _policies(content)
    value = content.get(name)
    if isinstance(value, list):
        return sorted(value, key=str)
    return value if value not in ("", None) else None


def compare(before, after):
    """(section, UPDATED or CONFIRMED) for each section that differs between two revisions'
    content. A changed fact counts as an update even if the date moved with it."""
    found = []
    for section, names in SECTION_FIELDS:
        if any(_value(before, name) != _value(after, name) for name in names):
            found.append((section, UPDATED))
        elif section.confirmed_field and _value(before, section.confirmed_field) != _value(
            after, section.confirmed_field
        ):
            found.append((section, CONFIRMED))
    return found


def changes(entry):
    """The entry's changes, newest first."""
    if entry.pk is None:
        return []
    published = list(
        PageLogEntry.objects.filter(
            page_id=entry.pk, action__in=PUBLISHING_ACTIONS, revision__isnull=False
        )
        .order_by("-timestamp", "-pk")
        .values_list("timestamp", "revision__content")[: HISTORY_LIMIT + 1]
    )
    published.reverse()
    found = []
    previous = None
    for index, (when, content) in enumerate(published):
        on = timezone.localdate(when)
        if previous is None:
            # The oldest read: the entry's first publish, unless the limit cut older ones off.
            if index == 0 and len(published) <= HISTORY_LIMIT:
                found.append(Change(on, None, ADDED))
        else:
            found.extend(Change(on, section, kind) for section, kind in compare(previous, content))
        previous = content
    found.reverse()
    return found
