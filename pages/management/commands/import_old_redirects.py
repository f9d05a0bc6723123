"""Redirect the old site's addresses to pages of this one, from a CSV file with the columns
`from` (an old path) and `to` (a path on this site):

    python manage.py import_old_redirects docs/old-site-redirects.csv

Each redirect points at the page itself, not at its address, so it keeps working when the page
moves later. Running it again updates what is there. Rows that name no live page are reported
and the command exits 1, having imported the rest."""

import csv

from django.core.management.base import BaseCommand, CommandError
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="a CSV file with 'from' and 'to' columns")

    def handle(self, *args, csv_file, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise CommandError("There is no default site yet: run load_ioi_content first.")
        try:
            with open(csv_file, newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as error:
            raise CommandError(f"Cannot read {csv_file}: {error.strerror}") from error
        if rows and not {"from", "to"} <= set(rows[0]):
            raise CommandError(f"{csv_file} needs a header row with 'from' and 'to' columns.")

        made, problems = 0, []
        for number, row in enumerate(rows, start=2):
            old, new = (row["from"] or "").strip(), (row["to"] or "").strip()
            url_path = site.root_page.url_path + new.strip("/") + ("/" if new.strip("/") else "")
            page = Page.objects.live().filter(url_path=url_path).first()
            if not old or page is None:
                problems.append(f"line {number}: no live page at {new!r} for {old!r}")
                continue
            Redirect.objects.update_or_create(
                old_path=Redirect.normalise_path(old),
                site=site,
                defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
            )
            made += 1
        self.stdout.write(f"{made} redirect(s) imported.")
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} row(s) not imported.", returncode=1)
