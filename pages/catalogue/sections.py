"""What an entry records, described once: the sections a reader compares, each a list of columns.
The entry page, the compare table, every download and the import all read this list, so a field
added here appears everywhere at once and the CSV's columns are the import's.

Works on an entry object with its relations loaded (models.entries.prefetched), and imports no
model: the page types import it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from .vocabularies import FUNDING_SOURCES, GOVERNANCE, POLICIES, POLICY_STATUSES, READINESS, STAFF

MULTI_SEPARATOR = "; "
# A list of entries (integrations, "relied on by") shows this many by name, then a count: an
# entry relied on by hundreds stays readable, and cheap to render.
ENTRIES_SHOWN = 12


@dataclass(frozen=True)
class Column:
    name: str  # the download's column, and the import's
    label: str
    kind: str  # text, year, number, date, url, bool, choice, term, terms, entries, policy
    field: str = ""
    choices: tuple = ()
    vocabulary: str = ""
    policy: str = ""
    shown: bool = True  # on the page and in compare (the slug and dates are not rows)
    exported: bool = True

    @property
    def choice_labels(self):
        return dict(self.choices)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    confirmed_field: str
    columns: tuple


def _text(name, label, field=None, kind="text", **kwargs):
    return Column(name=name, label=label, kind=kind, field=field or name, **kwargs)


def _terms(name, label, vocabulary, field=None):
    return Column(name=name, label=label, kind="terms", field=field or name, vocabulary=vocabulary)


def _term(name, label, vocabulary):
    return Column(name=name, label=label, kind="term", field=name, vocabulary=vocabulary)


def _choice(name, label, choices):
    return Column(name=name, label=label, kind="choice", field=name, choices=tuple(choices))


HEADER = Section(
    "header",
    _("Overview"),
    "",
    (
        Column("slug", _("Identifier"), "text", "slug", shown=False),
        Column("name", _("Name"), "text", "title", shown=False),
        _text("provider", _("Provider")),
        _text("website", _("Website"), kind="url"),
        _text("summary", _("Description")),
        _terms("categories", _("Categories"), "category"),
    ),
)
SECTIONS = (
    HEADER,
    Section(
        "about",
        _("About"),
        "about_confirmed",
        (
            _text("founded", _("Founded"), kind="year"),
            _text("country", _("Country")),
            _term("legal_form", _("Legal form"), "legal-form"),
            _text("board", _("Board structure")),
            _choice("governance", _("Community governance"), GOVERNANCE),
            _choice("staff", _("Staff"), STAFF),
            _text("volunteers", _("Volunteers")),
        ),
    ),
    Section(
        "technical",
        _("Technical"),
        "technical_confirmed",
        (
            _choice("readiness", _("Readiness"), READINESS),
            _term("maintenance", _("Maintenance"), "maintenance"),
            _term("hosting", _("Hosting"), "hosting"),
            _terms("code_licences", _("Code licence"), "licence"),
            _terms("content_licences", _("Content licence"), "licence"),
            _text("programming_languages", _("Programming languages")),
            _text("code_repository", _("Code repository"), kind="url"),
            _terms("standards", _("Standards"), "standard"),
            Column("integrations", _("Integrations"), "entries", "integrations"),
            Column("relied_on_by", _("Relied on by"), "entries", "relied_on_by", exported=False),
        ),
    ),
    Section(
        "community",
        _("Community"),
        "community_confirmed",
        (
            _text("contribution_ways", _("Ways to contribute")),
            _text("engagement", _("Engagement")),
        ),
    ),
    Section(
        "policies",
        _("Policies"),
        "policies_confirmed",
        tuple(
            column
            for key, label in POLICIES
            for column in (
                Column(f"policy_{key.replace('-', '_')}", label, "policy", policy=key),
                Column(
                    f"policy_{key.replace('-', '_')}_url",
                    label,
                    "policy_url",
                    policy=key,
                    shown=False,
                ),
            )
        ),
    ),
    Section(
        "values",
        _("Values frameworks"),
        "values_confirmed",
        (_terms("frameworks", _("Values frameworks"), "framework"),),
    ),
    Section(
        "funding",
        _("Funding"),
        "funding_confirmed",
        (
            _choice("funding_source", _("Primary funding source"), FUNDING_SOURCES),
            _text("funders", _("Funders and grants")),
            _text("funding_needs", _("Stated funding needs")),
            _text("collective_funding", _("Collective funding")),
            _text("finances_public", _("Finances published"), kind="bool", shown=False),
            _text("revenue", _("Annual revenue"), kind="number"),
            _text("expenses", _("Annual expenses"), kind="number"),
            _text("currency", _("Currency"), shown=False),
            _text("fiscal_year", _("Fiscal year"), kind="year"),
        ),
    ),
    Section(
        "audience",
        pgettext_lazy("catalogue section", "Who it serves"),
        "audience_confirmed",
        (
            _terms("disciplines", _("Disciplines"), "discipline"),
            _terms("regions", _("Regions"), "region"),
            _terms("interface_languages", _("Interface languages"), "language"),
        ),
    ),
)
FINANCES = {"revenue", "expenses", "currency", "fiscal_year"}
STATUS_LABELS = dict(POLICY_STATUSES)


def columns():
    """Every column of the downloads, in order: each section's, then the date it was confirmed."""
    found = []
    for section in SECTIONS:
        found.extend(column for column in section.columns if column.exported)
        if section.confirmed_field:
            found.append(
                Column(
                    section.confirmed_field, _("Last confirmed"), "date", section.confirmed_field
                )
            )
    return found


def _policy(entry, key):
    for row in entry.policies.all():
        if row.policy == key:
            return row
    return None


def related_entries(entry, column):
    """The entries a column lists. A new entry in preview (not saved yet) is relied on by none:
    its reverse relation cannot be asked before it has an id."""
    if entry.pk is None and column.field == "relied_on_by":
        return []
    return getattr(entry, column.field).all()


def value(entry, column):
    """The column's value for the downloads: text, a number, a list of slugs, or None. Finances a
    provider did not allow to publish are None."""
    if column.name in FINANCES and not entry.finances_public:
        return None
    if column.kind == "policy":
        row = _policy(entry, column.policy)
        return row.status if row else None
    if column.kind == "policy_url":
        row = _policy(entry, column.policy)
        return (row.url or None) if row else None
    if column.kind == "entries":
        return sorted(other.slug for other in related_entries(entry, column) if other.live)
    raw = getattr(entry, column.field)
    if column.kind == "terms":
        return sorted(term.slug for term in raw.all())
    if column.kind == "term":
        return raw.slug if raw else None
    if column.kind == "date":
        return raw.isoformat() if raw else None
    if column.kind == "number":
        return int(raw) if raw is not None else None
    if column.kind == "bool":
        return bool(raw)
    return raw if raw not in ("", None) else None


def display(entry, column, entry_urls=None):
    """The column's value as a reader sees it: {'text', 'url', 'list'}, or None for "Not
    reported". `entry_urls` maps an entry's id to its address, for integrations."""
    if column.name in FINANCES and not entry.finances_public:
        return None
    if column.kind == "policy":
        row = _policy(entry, column.policy)
        if row is None:
            return None
        return {"text": STATUS_LABELS.get(row.status, row.status), "url": row.url or None}
    if column.kind == "entries":
        urls = entry_urls or {}
        items = [
            {"text": other.title, "url": urls.get(other.pk)}
            for other in related_entries(entry, column)
            if other.live
        ]
        items.sort(key=lambda item: item["text"].lower())
        if len(items) > ENTRIES_SHOWN:
            rest = len(items) - ENTRIES_SHOWN
            more = ngettext("and %(count)s more", "and %(count)s more", rest) % {"count": rest}
            items = [*items[:ENTRIES_SHOWN], {"text": more, "url": None}]
        return {"list": items} if items else None
    raw = getattr(entry, column.field)
    if column.kind == "terms":
        names = [term.name for term in raw.all()]
        return {"text": ", ".join(names)} if names else None
    if column.kind == "term":
        return {"text": raw.name} if raw else None
    if column.kind == "choice":
        return {"text": str(column.choice_labels.get(raw, raw))} if raw else None
    if column.kind == "url":
        return {"text": raw, "url": raw} if raw else None
    if raw in ("", None):
        return None
    if column.kind == "number":
        currency = f" {entry.currency}" if entry.currency else ""
        return {"text": f"{int(raw):,}{currency}"}
    return {"text": str(raw)}


def rows(entry, section, entry_urls=None):
    """(column, shown value) for each of the section's rows."""
    return [
        (column, display(entry, column, entry_urls)) for column in section.columns if column.shown
    ]


def confirmed(entry, section):
    return getattr(entry, section.confirmed_field) if section.confirmed_field else None
