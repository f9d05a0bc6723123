"""`make messages`: the interface's catalogues made again from the code (new strings added,
gone ones dropped) and compiled. Translate what is new in the .po, run it again, commit both
files (docs/translation.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.management import catalogue


class Command(BaseCommand):
    help = "Update locale/*/LC_MESSAGES/django.po from the code and compile django.mo."

    def handle(self, *args, **options):
        locale_dir = settings.LOCALE_PATHS[0]
        try:
            catalogue.update(settings.BASE_DIR, locale_dir)
        except catalogue.GettextMissing as error:
            raise CommandError(str(error)) from error
        for language in catalogue.translated_languages():
            path = catalogue.po_path(locale_dir, language)
            left = catalogue.untranslated(path, language)
            self.stdout.write(f"{path}: {len(left)} message(s) to translate or check.")
