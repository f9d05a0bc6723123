from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.backups.errors import BackupRefused, DatabaseToolFailed
from pages.backups.operations import back_up, files_text, size_text


class Command(BaseCommand):
    help = (
        "Back up the database and the media folder to one new file in BACKUP_DIR (default "
        "backups/), and print its path and size. Safe to run while the site serves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Then delete the oldest backups in BACKUP_DIR until N are left.",
        )

    def handle(self, *args, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError(f"--keep must be 1 or more (got {keep}).")
        try:
            backup = back_up(settings.BACKUP_DIR, keep=keep)
        except (BackupRefused, DatabaseToolFailed) as refusal:
            raise CommandError(f"No backup was written. {refusal}") from None
        media = backup.manifest["media"]
        self.stdout.write(
            f"{backup.path.resolve()}  {size_text(backup.size)}\n"
            f"  the database and {files_text(media['files'])} ({size_text(media['bytes'])})"
        )
