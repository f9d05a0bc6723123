"""`make run`: the site set up where it needs to be (home/site_setup.py), then served by Django's
development server, in one start-up of Django where there used to be four (docs/first-run.md)."""

import os

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from home.site_setup import set_up


class Command(RunserverCommand):
    help = (
        "Set the site up (database, content) where needed, then serve it as runserver does, "
        "reloading when the code changes."
    )

    def handle(self, *args, **options):
        # The autoreloader runs the server in a child process that it starts again after each
        # change to the code; the setting up is done once, here, before the first child.
        if os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            set_up(self.stdout)
            self.greet(options)
            connections.close_all()
        super().handle(*args, **options)

    def greet(self, options):
        address = options.get("addrport") or f"{self.default_addr}:{self.default_port}"
        if ":" not in address:
            address = f"{self.default_addr}:{address}"
        has_admin = get_user_model().objects.filter(is_superuser=True).exists()
        self.stdout.write("")
        self.stdout.write(f"  The site:  http://{address}/")
        self.stdout.write(f"  The admin: http://{address}/admin/")
        if has_admin:
            self.stdout.write("  Sign in with the account you made with 'make superuser'.")
        else:
            self.stdout.write(
                "  No admin account yet: stop the server and run 'make superuser' to make one."
            )
        self.stdout.write("")
