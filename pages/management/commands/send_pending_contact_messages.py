from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from pages.contacts.models import ContactMessage
from pages.contacts.tasks import deliver


class Command(BaseCommand):
    help = (
        "Try again to email contact messages whose email failed (when their back-off has "
        "passed) or was never sent. Run it every few minutes where no task worker retries."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        due = ContactMessage.objects.filter(
            Q(delivery=ContactMessage.Delivery.FAILED, next_attempt_at__lte=now)
            # Never handed to a worker (the queue was down): give the queue five minutes first.
            | Q(
                delivery=ContactMessage.Delivery.PENDING, created_at__lte=now - timedelta(minutes=5)
            ),
            send_attempts__lt=settings.CONTACT_EMAIL_MAX_ATTEMPTS,
        )
        sent = failed = 0
        for message in due.iterator():
            if deliver(message):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"Sent {sent}, failed {failed}.")
        if failed:
            raise SystemExit(1)
