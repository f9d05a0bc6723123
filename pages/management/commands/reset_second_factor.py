from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pages.staff_auth import devices, throttle


class Command(BaseCommand):
    help = (
        "Remove every second-factor device of one account (authenticator apps, passkeys, "
        "recovery codes) and lift any pause on its codes, for the last administrator who has "
        "lost them all. Recorded in the site history. At the next sign-in the account sets up "
        "a new second factor. With everyone else, an administrator uses Settings → Users → "
        "Reset second factor instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account's username.")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            person = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No account has the username {username!r}.") from None
        removed = devices.remove_all(person)
        throttle.clear(person)
        self.stdout.write(
            f"Removed {removed} second-factor device{'s' if removed != 1 else ''} of "
            f"{username}; they set up a new one at their next sign-in."
        )
