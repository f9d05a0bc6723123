"""The database made or brought up to date, and the IOI content loaded into a site without any:
what `make run` does before it serves (home/site_setup.py)."""

from django.core.management.base import BaseCommand

from home.site_setup import set_up


class Command(BaseCommand):
    help = (
        "Make the database (a new SQLite one built aside and moved into place when complete), "
        "apply what migrations are missing, and load the IOI content into an empty site."
    )
    # Nothing here needs them, and runserver checks before it serves.
    requires_system_checks = []

    def handle(self, *args, **options):
        set_up(self.stdout)
