"""Move the old Ghost site here: posts, pages, authors, tags, images and old addresses."""

import sys

from django.core.management.base import BaseCommand, CommandError

from pages.ghost.export import GhostExportError, read_file
from pages.ghost.importer import ImportAbandoned, Importer


class Command(BaseCommand):
    help = (
        "Import a Ghost export (Settings → Labs → Export in Ghost 3, 4 or 5): published posts "
        "become news posts, Ghost pages standard pages, drafts drafts; authors, tags, images, "
        "Spanish versions and redirects from the old addresses come too. Running it again "
        "changes only what changed in Ghost, never a page an editor has changed since. One "
        "transaction: a file with any problem changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The JSON file Ghost's export downloaded.")
        parser.add_argument(
            "--images",
            metavar="DIR",
            help="Ghost's content/images folder (from the old server or its backup); images "
            "not found there are kept as links, with a warning.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be created, updated and skipped, and write nothing.",
        )
        parser.add_argument(
            "--parent",
            metavar="PATH_OR_ID",
            help="Where Ghost's pages go, as an address (/about/) or a page id (default: the "
            "home page).",
        )
        parser.add_argument(
            "--as-publication",
            metavar="TAG",
            help="Posts with this tag (its name or slug) become publications under the "
            "research index instead of news posts.",
        )

    def progress(self, done, total):
        width = 30
        filled = width * done // total
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stdout.flush()

    def handle(self, export, images=None, dry_run=False, parent=None, **options):
        try:
            data = read_file(export)
        except GhostExportError as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {p}" for p in error.problems[:50])
            ) from error
        on_terminal = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        importer = Importer(
            data,
            images=images,
            parent=parent,
            publication_tag=options.get("as_publication"),
            progress=self.progress if on_terminal and not dry_run else None,
        )
        try:
            report = importer.run(dry_run=dry_run)
        except ImportAbandoned as error:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"- {p}" for p in error.problems)
            ) from error
        heading = "Dry run: nothing was written." if dry_run else f"Ghost {data.version} export:"
        self.stdout.write(heading)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary(dry_run)))
        sys.stdout.flush()
