"""Bulk-load the catalogue from a CSV in the download's own columns (/catalogue/catalogue.csv)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from pages.catalogue.importer import CatalogueImportError, Importer
from pages.catalogue.models import CatalogueIndexPage


class Command(BaseCommand):
    help = (
        "Import catalogue entries from a CSV with the download's columns: an entry with the same "
        "slug is updated, others are made; each is published. A file with any problem changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="The CSV file to read (UTF-8).")
        parser.add_argument(
            "--language",
            default=None,
            help="The catalogue to import into, by language code (default: the site's default).",
        )

    def handle(self, csv_file, language=None, **options):
        try:
            text = Path(csv_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {csv_file}: {error}") from error
        locale = Locale.objects.filter(language_code=language).first() if language else None
        locale = locale or Locale.get_default()
        index = CatalogueIndexPage.objects.filter(locale=locale).first()
        if index is None:
            raise CommandError(f"There is no catalogue in '{locale.language_code}' to import into.")
        try:
            count = Importer(index).run(text)
        except CatalogueImportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {p}" for p in error.problems[:50])
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {count} catalogue entries."))
