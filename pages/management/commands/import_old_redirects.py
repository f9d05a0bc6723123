"""Redirect the old site's addresses to pages of this one, from a CSV file with the columns
`from` (an old path) and `to` (a path on this site):

    python manage.py import_old_redirects docs/old-site-redirects.csv

Each redirect points at the page itself, not at its address, so it keeps working when the page
moves later. Running it again updates what is there. Rows that name no live page are reported
and the command exits 1, having imported the rest. `load_ioi_content` imports the same file,
creating only what is missing."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from pages.discovery.redirects import read_rows, redirect_to_pages


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="a CSV file with 'from' and 'to' columns")

    def handle(self, *args, csv_file, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("There is no default site yet: run load_ioi_content first.")
        try:
            rows = read_rows(csv_file)
        except OSError as error:
            raise CommandError(f"Cannot read {csv_file}: {error.strerror}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        made, problems = redirect_to_pages(rows, site)
        self.stdout.write(f"{made} redirect(s) imported.")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} row(s) not imported.", returncode=1)
