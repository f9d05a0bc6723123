from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pages.contacts.models import ContactMessage


class Command(BaseCommand):
    help = (
        "Delete contact messages older than the retention period "
        "(CONTACT_MESSAGE_RETENTION_DAYS, default 365). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CONTACT_MESSAGE_RETENTION_DAYS,
            help="Keep messages received in the last DAYS days (default: %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be deleted, delete nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            raise CommandError(f"--days must be 1 or more (got {days}).")
        cutoff = timezone.now() - timedelta(days=days)
        old = ContactMessage.objects.filter(created_at__lt=cutoff)
        count = old.count()
        when = cutoff.strftime("%Y-%m-%d %H:%M UTC")
        if dry_run:
            self.stdout.write(f"Would delete {count} contact message(s) received before {when}.")
            return
        old.delete()
        self.stdout.write(f"Deleted {count} contact message(s) received before {when}.")
