"""Emailing staff about a message from the public, in the background, with retries."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from pages.models.site_settings import OrganisationSettings

from .models import ContactMessage

logger = logging.getLogger(__name__)


@task()
def send_contact_message_email(message_id):
    message = ContactMessage.objects.claim(message_id)
    if message is None:
        # Sent already, being sent by another process (the retry command), not due yet (a
        # retry after a failure elsewhere), or deleted: never twice, never early.
        return
    if deliver(message):
        return
    # Back-off where the backend can defer (the database backend in production). Where it
    # cannot (the immediate backend of `make run`), send_pending_contact_messages retries.
    if message.next_attempt_at and send_contact_message_email.get_backend().supports_defer:
        send_contact_message_email.using(run_after=message.next_attempt_at).enqueue(message_id)


def deliver(message):
    """Email a message claimed by this sender to its contact, and record the outcome on the
    message. True if sent."""
    # Staff read the email in English, whatever language the message came in.
    with translation.override(settings.LANGUAGE_CODE):
        return send(message)


def send(message):
    org = OrganisationSettings.load()
    recipient = message.routed_to_email or org.contact_email
    try:
        if not recipient:
            raise ValueError("No contact to send it to: choose a primary contact in settings.")
        context = {
            "message": message,
            "organisation": org.organisation_name,
            "language": translation.get_language_info(message.language)["name"],
            "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/pages/contactmessage/"
            f"edit/{message.pk}/",
        }
        subject = (
            f"[{org.organisation_name}] Message about {message.purpose_name or 'something else'}"
        )
        email = EmailMultiAlternatives(
            subject=" ".join(subject.split()),  # no line breaks in a header
            body=render_to_string("email/contact_message.txt", context),
            to=[recipient],
            reply_to=[message.email],
        )
        email.attach_alternative(
            render_to_string("email/contact_message.html", context), "text/html"
        )
        email.send()
    except Exception as error:
        logger.warning("Contact message %s: email failed: %s", message.pk, error)
        if not message.record_failure(error):
            logger.warning("Contact message %s: its claim was taken back meanwhile.", message.pk)
        return False
    if not message.record_sent():
        logger.warning(
            "Contact message %s: sent after its claim was taken back; it may arrive twice.",
            message.pk,
        )
    return True
