from django.core.management.base import BaseCommand

from pages.providers.tasks import remind_providers


class Command(BaseCommand):
    help = (
        "Email each provider with a stale catalogue entry (at most once a month), and send "
        "what could not be sent before. Run daily from cron; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the run for the worker, not now."
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            remind_providers.enqueue()
            self.stdout.write("Reminders queued.")
        else:
            remind_providers.call()
            self.stdout.write("Reminders done.")
