import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Site

from pages.backups.errors import BackupRefused, DatabaseToolFailed
from pages.backups.operations import backups_in, check, files_text, restore, size_text
from pages.caching.invalidation import invalidate


class Command(BaseCommand):
    help = (
        "Replace the database and the media folder with a backup made by backup_site, after "
        "checking the whole file. Asks first, unless --noinput. Without a file, lists the "
        "backups in BACKUP_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", help="The backup file to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Restore without asking.",
        )

    def handle(self, *args, backup=None, interactive=True, **options):
        if not backup:
            self._list_backups()
            raise CommandError("Say which backup to restore: make restore BACKUP=<file>.")
        with tempfile.TemporaryDirectory(prefix="ioisite-restore-") as work:
            started = time.monotonic()
            try:
                checked = check(backup, work)
            except BackupRefused as refusal:
                raise CommandError(str(refusal)) from None
            checking = time.monotonic() - started
            self._describe(checked)
            if interactive:
                self._confirm()
            started = time.monotonic()
            try:
                restore(checked)
            except BackupRefused as refusal:
                raise CommandError(str(refusal)) from None
            except OSError as error:
                raise CommandError(str(error)) from None
            except DatabaseToolFailed as error:
                raise CommandError(
                    "The database could not be restored. Nothing was changed: the database "
                    f"and the media folder are as they were.\n{error}"
                ) from None
        # Pages and Wagtail's site lookup cached from the database before the restore.
        invalidate()
        Site.clear_site_root_paths_cache()
        media = checked.manifest["media"]
        self.stdout.write(
            f"Restored the database and {files_text(media['files'])} from {checked.path} "
            f"(checked in {checking:.1f} s, restored in {time.monotonic() - started:.1f} s)."
        )
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if waiting:
            self.stdout.write(
                f"The backup predates {len(waiting)} migration(s) of this code: run "
                "`python manage.py migrate` before starting the site."
            )

    def _list_backups(self):
        found = backups_in(settings.BACKUP_DIR)
        if not found:
            self.stdout.write(f"There are no backups in {settings.BACKUP_DIR}.")
            return
        self.stdout.write(f"Backups in {settings.BACKUP_DIR}, newest first:")
        for path in reversed(found):
            self.stdout.write(f"  {path}  {size_text(path.stat().st_size)}")

    def _describe(self, checked):
        manifest, connector = checked.manifest, checked.connector
        site = manifest.get("site") or {}
        media = manifest["media"]
        self.stdout.write(
            f"{checked.path}: a backup of {site.get('name') or 'the site'}"
            f"{' at ' + site['url'] if site.get('url') else ''}, made {manifest.get('created_at')},"
            f" with {files_text(media['files'])}. It checks out whole.\n"
            f"Restoring it replaces {connector.describe()} and the media folder "
            f"{settings.MEDIA_ROOT}: everything since the backup is lost, contact messages "
            "included."
        )

    def _confirm(self):
        try:
            answer = input("Type 'yes' to restore: ")
        except EOFError:
            raise CommandError(
                "Nothing was restored: there was no answer (standard input is closed). Run "
                "with --noinput (make restore BACKUP=... NOINPUT=1) to restore without asking."
            ) from None
        if answer.strip().lower() != "yes":
            raise CommandError("Nothing was restored.")
