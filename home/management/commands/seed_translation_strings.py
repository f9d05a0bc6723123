"""Write the seed's English strings, as wagtail-localize extracts them, as a PO template for
home/seed/es.po (docs/translation.md, "Seeded Spanish content")."""

import re

import polib
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

from home.seed_translations import SPANISH_CATALOGUE, describe, english_strings, seeded_objects

BLOCK_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def where(obj, path):
    """Where a string comes from, for the translator: the object and its field, without the
    block ids that differ from one seeded site to the next."""
    field = " › ".join(part for part in path.split(".") if not BLOCK_ID.match(part))
    return f"{describe(obj)}: {field}"


def template(home):
    pot = polib.POFile(wrapwidth=100)
    pot.metadata = {
        "Project-Id-Version": "IOI website seed",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
    }
    entries = {}
    for obj in seeded_objects(home):
        for msgctxt, msgid, path in english_strings(obj):
            entry = entries.get((msgctxt, msgid))
            if entry is None:
                entry = entries[(msgctxt, msgid)] = polib.POEntry(
                    msgid=msgid, msgstr="", msgctxt=msgctxt
                )
                pot.append(entry)
            comment = where(obj, path)
            if comment not in (entry.comment or "").splitlines():
                entry.comment = "\n".join(filter(None, [entry.comment, comment]))
    return pot


class Command(BaseCommand):
    help = (
        "Write the English strings of everything the seed translates into Spanish as a PO "
        "template (to standard output), or merge them into home/seed/es.po with --merge. Run it "
        "on a freshly seeded database, so that the English is the seed's and not an editor's."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--merge",
            action="store_true",
            help=f"Update {SPANISH_CATALOGUE.name} in place: new English strings are added "
            "untranslated, strings the seed no longer has are marked obsolete, the rest kept.",
        )

    def handle(self, *args, merge=False, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("There is no site yet: run load_ioi_content first.")
        pot = template(site.root_page.specific)
        if not merge:
            self.stdout.write(str(pot))
            return
        catalogue = polib.pofile(str(SPANISH_CATALOGUE), wrapwidth=100)
        before = {(e.msgctxt, e.msgid) for e in catalogue if not e.obsolete}
        catalogue.merge(pot)
        after = {(e.msgctxt, e.msgid) for e in catalogue if not e.obsolete}
        catalogue.save(str(SPANISH_CATALOGUE))
        untranslated = [e.msgid for e in catalogue.untranslated_entries()]
        self.stdout.write(
            f"{SPANISH_CATALOGUE}: {len(after - before)} new, {len(before - after)} obsolete, "
            f"{len(untranslated)} to translate."
        )
