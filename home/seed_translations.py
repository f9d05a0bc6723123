"""The seed's Spanish: the seeded English pages and snippets translated through wagtail-localize,
with the Spanish written in home/seed/es.po (docs/translation.md, "Seeded Spanish content").

Each object is translated as a translator's PO file would translate it: its translation source
and translation records are made, each of the source's strings gets its Spanish from es.po (the
rows wagtail-localize's PO import writes, made in one query: `fill_strings`) and the Spanish
version is saved. So the Spanish pages are ordinary wagtail-localize translations: synced, and
marked out of date when the English changes.

es.po is keyed by the English text, not by wagtail-localize's paths (those name StreamField
blocks by ids made afresh on every seeded site). Its one msgctxt, "slug", marks the part of an
address, which is worded differently from the same words in a title."""

from pathlib import Path

import polib
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import RelatedObjectSegmentValue, StringSegmentValue
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue, validate_translation_links

from home import seed_content as content
from pages.contacts.models import Contact, ContactPurpose
from pages.models import OrganisationWording

SPANISH = "es"
SPANISH_CATALOGUE = Path(__file__).resolve().parent / "seed" / "es.po"
SLUG = "slug"

# Which seeded pages have a Spanish version, by their slugs under the home page: parents first,
# since a page's translation goes under its parent's.
NEWS_POSTS_IN_SPANISH = [content.FUND_POST_SLUG, "open-infrastructure-fund-pilot"]
PAGES_IN_SPANISH = [
    (),
    (content.INITIATIVE_INDEX["slug"],),
    *((content.INITIATIVE_INDEX["slug"], spec["slug"]) for spec in content.INITIATIVES),
    (content.IMPACT["slug"],),
    (content.CONTACT["slug"],),
    (content.ABOUT["slug"],),
    (content.ACCESSIBILITY["slug"],),
    (content.PRIVACY["slug"],),
    (content.NEWS_INDEX["slug"],),
    *((content.NEWS_INDEX["slug"], slug) for slug in NEWS_POSTS_IN_SPANISH),
]


def context_of(path):
    """es.po's msgctxt for a segment at this wagtail-localize path."""
    return SLUG if path.rsplit(".", 1)[-1] == SLUG else None


def spanish_locale():
    # A flushed database (the browser tests) lost the locale the migration made.
    return Locale.objects.get_or_create(language_code=SPANISH)[0]


def seeded_pages(home):
    """The English pages seeded with a Spanish version, parents first; one an editor deleted or
    moved is left out."""
    url_paths = [home.url_path + "".join(f"{slug}/" for slug in path) for path in PAGES_IN_SPANISH]
    found = Page.objects.filter(url_path__in=url_paths, locale_id=home.locale_id).specific()
    by_path = {page.url_path: page for page in found}
    return [by_path[url_path] for url_path in url_paths if url_path in by_path]


def seeded_objects(home):
    """Everything seeded with a Spanish version, in the order to translate it: the snippets the
    pages show (contact purposes before the contacts that have them), the pages, the wording.
    What these refer to and wagtail-localize translates with them (library links and their
    categories) is found by `with_related`."""
    default = Locale.get_default()
    seeded_contacts = {(spec["name"], spec["email"]) for spec in content.CONTACTS}
    contacts = [
        contact
        for contact in Contact.objects.filter(locale=default)
        if (contact.name, contact.email) in seeded_contacts
    ]
    return with_related(
        [
            *ContactPurpose.objects.filter(locale=default),
            *contacts,
            *seeded_pages(home),
            *OrganisationWording.objects.filter(locale=default),
        ]
    )


def with_related(objects):
    """The objects, each after the translatable objects it refers to (a link's category before
    the link, the link before the page that has it), each once."""
    ordered, seen = [], set()

    def visit(obj):
        key = (type(obj).get_translation_model(), obj.translation_key)
        if key in seen:
            return
        seen.add(key)
        for segment in extract_segments(obj):
            if isinstance(segment, RelatedObjectSegmentValue):
                visit(segment.get_instance(obj.locale))
        ordered.append(obj)

    for obj in objects:
        visit(obj.specific if isinstance(obj, Page) else obj)
    return ordered


def english_strings(obj):
    """(msgctxt, msgid, path) for each string wagtail-localize extracts from the object, as its
    PO export writes them."""
    return [
        (context_of(segment.path), segment.string.data, segment.path)
        for segment in extract_segments(obj)
        if isinstance(segment, StringSegmentValue)
    ]


class Catalogue:
    """The Spanish in es.po, by (msgctxt, msgid). Untranslated and fuzzy entries count as
    missing."""

    def __init__(self, path=SPANISH_CATALOGUE):
        self.spanish = {
            (entry.msgctxt or None, entry.msgid): entry.msgstr
            for entry in polib.pofile(str(path))
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }

    def get(self, msgid, path):
        return self.spanish.get((context_of(path), msgid))


def shorten(text, width=60):
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def describe(obj):
    return f"{obj._meta.verbose_name} '{obj.title if isinstance(obj, Page) else obj}'"


class SpanishSeed:
    """Translates each seeded object into Spanish, unless it has a Spanish version already:
    that one an editor or translator may have changed, and it is left as it is."""

    def __init__(self, catalogue=None):
        self.catalogue = catalogue or Catalogue()
        self.locale = spanish_locale()
        self.created = []
        self.warnings = []

    def run(self, home):
        for obj in seeded_objects(home):
            if obj.has_translation(self.locale):
                continue
            if (
                isinstance(obj, Page)
                and obj.depth > 2
                and not obj.get_parent().has_translation(self.locale)
            ):
                # wagtail-localize would put an untranslated copy of the parent above it.
                self.warnings.append(f"No Spanish {describe(obj)}: its parent has none.")
                continue
            if isinstance(obj, Page) and self.spanish_page_in_place(obj):
                continue
            spanish = self.translate(obj)
            self.created.append(f"Spanish {describe(spanish)}")

    def spanish_page_in_place(self, page):
        """A Spanish page already at the address this one's translation would have: one whose
        English page an editor deleted, and which the seed made again under a new identity."""
        slug = self.catalogue.get(page.slug, SLUG)
        parent = page.get_parent()
        if page.depth > 2:
            parent = parent.get_translation(self.locale)
        return bool(slug) and parent.get_children().filter(slug=slug, locale=self.locale).exists()

    def translate(self, obj):
        source, _ = TranslationSource.update_or_create_from_instance(obj)
        translation, _ = Translation.objects.update_or_create(
            source=source, target_locale=self.locale, defaults={"enabled": True}
        )
        missing = self.fill_strings(source)
        if missing:
            self.warnings.append(
                f"Spanish {describe(obj)} left partly in English: {SPANISH_CATALOGUE.name} has no "
                f"Spanish for {len(missing)} of its strings: " + "; ".join(map(shorten, missing))
            )
        if isinstance(obj, Page):
            # wagtail-localize publishes a page once the transaction commits; the seed publishes
            # at once, so that the rest of the run, and the tests (whose transaction never
            # commits), see the Spanish page live, as the site will.
            translation.save_target(publish=False)
            spanish = obj.get_translation(self.locale)
            spanish.get_latest_revision().publish()
            return spanish.specific
        translation.save_target(publish=True)
        return obj.get_translation(self.locale)

    def fill_strings(self, source):
        """Each of the source's strings in Spanish, in one query: the rows Translation.import_po
        writes for a PO file with every msgstr filled (one string, in one place, in one language:
        the place is a TranslationContext, a PO entry's msgctxt), checked as
        StringTranslation.save checks them. import_po makes them one query at a time, three or
        four each. Its post_save handler has nothing to do here: it renames an existing page in
        the target language, and the seed translates only what has none. Returns the English left
        without Spanish."""
        now = timezone.now()
        rows, missing = {}, []
        segments = (
            StringSegment.objects.filter(source=source)
            .select_related("string", "context")
            .order_by("order")
        )
        for segment in segments:
            english = segment.string.data
            spanish = self.catalogue.get(english, segment.context.path)
            if not spanish:
                missing.append(english)
                continue
            rows[segment.string_id, segment.context_id] = StringTranslation(
                translation_of=segment.string,
                locale=self.locale,
                context=segment.context,
                data=spanish,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                updated_at=now,
                has_error=not valid_translation(english, spanish),
            )
        StringTranslation.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["locale", "translation_of", "context"],
            update_fields=["data", "translation_type", "tool_name", "last_translated_by"]
            + ["updated_at", "has_error", "field_error"],
        )
        return missing


def valid_translation(english, spanish):
    """What StringTranslation.save checks: HTML it can read, and the English's links kept."""
    try:
        StringValue.from_translated_html(spanish)
        validate_translation_links(english, spanish)
    except ValueError:
        return False
    return True
