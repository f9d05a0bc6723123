"""`make lint`: fails when the committed catalogues are out of step with the code, a message is
untranslated or fuzzy, or a .mo is not its .po compiled (pages/management/catalogue.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.management import catalogue


class Command(BaseCommand):
    help = "Check the translation catalogues against the code; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale-dir",
            default=None,
            help="The catalogues to check (default: the committed ones, LOCALE_PATHS[0]).",
        )

    def handle(self, *args, **options):
        locale_dir = options["locale_dir"] or settings.LOCALE_PATHS[0]
        try:
            problems = catalogue.check(settings.BASE_DIR, locale_dir)
        except catalogue.GettextMissing as error:
            raise CommandError(str(error)) from error
        if not problems:
            self.stdout.write("The translation catalogues are complete and up to date.")
            return
        for language, found in problems.items():
            self.stderr.write(f"{catalogue.po_path(locale_dir, language)}:")
            for problem in found:
                self.stderr.write(f"  {problem}")
        raise CommandError(
            f"{sum(map(len, problems.values()))} problem(s) with the translation catalogues: "
            "run `make messages`, translate what is missing, and commit the .po and .mo "
            "(docs/translation.md)."
        )
