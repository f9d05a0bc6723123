from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from pages.contacts.models import ContactMessage
from pages.contacts.tasks import deliver


class Command(BaseCommand):
    help = (
        "Email contact messages whose email failed (when their back-off has passed), was never "
        "sent, or was left half-sent by a sender that stopped. Safe beside the task worker: "
        "each message is claimed before it is sent. Run it every few minutes."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        released = ContactMessage.objects.release_abandoned_claims(now)
        due = ContactMessage.objects.filter(
            ~Q(delivery=ContactMessage.Delivery.PENDING)
            # Never handed to a worker (the queue was down): give the queue five minutes first.
            | Q(created_at__lte=now - timedelta(minutes=5))
        )
        sent = failed = taken_elsewhere = 0
        for pk in list(due.sendable(now).order_by("created_at").values_list("pk", flat=True)):
            message = due.claim(pk)
            if message is None:
                taken_elsewhere += 1  # by the worker, or another run of this command
            elif deliver(message):
                sent += 1
            else:
                failed += 1
        summary = f"Sent {sent}, failed {failed}."
        if taken_elsewhere:
            summary += f" {taken_elsewhere} taken by another sender meanwhile."
        if released:
            summary += f" {released} left half-sent by a sender that stopped."
        self.stdout.write(summary)
        if failed:
            raise SystemExit(1)
