"""Who the public should contact about what, and the messages they send through the site."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.translation.locales import TranslatableSnippetMixin


class ContactPurpose(TranslatableSnippetMixin, models.Model):
    """What someone may want to talk about: the contact form's choices and the contact page's
    groups. Staff add their own; each language has its own wording (docs/translation.md)."""

    name = models.CharField(max_length=80, help_text="As shown to the public, e.g. 'Funding'.")
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional. One line on what this covers, shown on the contact page.",
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the form and on the contact page."
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = "contact purpose"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="contact_purpose_name_unique_per_language"
            )
        ]

    def __str__(self):
        return self.name


class Contact(TranslatableSnippetMixin, models.Model):
    """A person or team the public can reach. Their role is worded per language; the rest is
    the same in every language."""

    name = models.CharField(max_length=120, help_text="A person's or a team's name.")
    role = models.CharField(
        "role or team",
        max_length=120,
        blank=True,
        help_text="Optional. e.g. 'Engagement lead' or 'Partnerships team'.",
    )
    email = models.EmailField(help_text="Where messages about this purpose are sent.")
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="Optional. In international form, e.g. +1 555 010 0000.",
    )
    purpose = models.ForeignKey(
        ContactPurpose,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text="What to contact them about. Messages sent with this purpose go to them.",
    )
    is_public = models.BooleanField(
        "shown publicly",
        default=True,
        help_text="Untick to keep this contact for routing messages only, off the public site.",
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first within their purpose."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("purpose"),
        FieldRowPanel([FieldPanel("is_public"), FieldPanel("sort_order")]),
    ]

    translatable_fields = [
        TranslatableField("role"),
        SynchronizedField("name"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        TranslatableField("purpose"),
        SynchronizedField("is_public"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


INTERRUPTED = "Interrupted: the sender stopped before it could tell whether the email went."


class ContactMessageQuerySet(models.QuerySet):
    def sendable(self, now):
        """Messages a sender may take now: never tried, or failed and due to be tried again."""
        return self.filter(
            Q(delivery=ContactMessage.Delivery.PENDING)
            | Q(delivery=ContactMessage.Delivery.FAILED, next_attempt_at__lte=now),
            send_attempts__lt=settings.CONTACT_EMAIL_MAX_ATTEMPTS,
        )

    def claim(self, pk):
        """Take message `pk` to email it: the message, or None if it is not to be sent now (sent
        already, held by another sender, not yet due, deleted). One conditional UPDATE, so of
        the task worker and the retry command taking the same message at the same moment,
        exactly one gets it. The attempt is counted here, so that a message that kills its
        sender every time is tried CONTACT_EMAIL_MAX_ATTEMPTS times, not forever."""
        now = timezone.now()
        taken = (
            self.sendable(now)
            .filter(pk=pk)
            .update(
                delivery=ContactMessage.Delivery.SENDING,
                claimed_at=now,
                send_attempts=F("send_attempts") + 1,
            )
        )
        return self.model.objects.filter(pk=pk).first() if taken else None

    def release_abandoned_claims(self, now):
        """Claims older than CONTACT_EMAIL_CLAIM_MINUTES, whose sender died or hung before it
        recorded an outcome: marked failed, and due at once if attempts remain. Returns how
        many."""
        abandoned = self.filter(
            delivery=ContactMessage.Delivery.SENDING,
            claimed_at__lte=now - timedelta(minutes=settings.CONTACT_EMAIL_CLAIM_MINUTES),
        )
        failed = {"delivery": ContactMessage.Delivery.FAILED, "last_error": INTERRUPTED}
        retried = abandoned.filter(send_attempts__lt=settings.CONTACT_EMAIL_MAX_ATTEMPTS).update(
            next_attempt_at=now, **failed
        )
        return retried + abandoned.update(next_attempt_at=None, **failed)


class ContactMessage(models.Model):
    """A message from the public. Stored before anything else happens to it, so it is never lost.

    Its email is sent once: a sender (the task worker, or send_pending_contact_messages) claims
    the message first (`ContactMessage.objects.claim`), and records the outcome only while the
    claim is still its own."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HANDLED = "handled", "Handled"

    class Delivery(models.TextChoices):
        PENDING = "pending", "Not sent yet"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Email failed"

    submission_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="One per form shown, so a double click stores one message.",
    )
    created_at = models.DateTimeField("received", default=timezone.now, db_index=True)
    name = models.CharField(max_length=120, help_text="The sender's name.")
    email = models.EmailField(help_text="The sender's email address: reply here.")
    purpose = models.ForeignKey(
        ContactPurpose,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="What the sender chose to write about.",
    )
    purpose_name = models.CharField(
        max_length=80, blank=True, help_text="The purpose as it was named when sent."
    )
    message = models.TextField(max_length=5000, help_text="What the sender wrote.")
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the contact page it was sent from: reply in it.",
    )
    routed_to = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The contact it was sent to.",
    )
    routed_to_email = models.EmailField(
        blank=True, help_text="The address it was sent to, kept if the contact changes."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
        help_text="Mark a message handled once someone has answered it.",
    )
    delivery = models.CharField(
        "email",
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.PENDING,
        db_index=True,
        help_text="Whether the notification email reached the contact.",
    )
    send_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times sending the email was tried."
    )
    last_error = models.CharField(
        max_length=500, blank=True, help_text="Why the last attempt to send failed."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When sending will be tried again."
    )
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the email was sent.")
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a sender last took the message to email it."
    )
    notes = models.TextField(
        blank=True, max_length=2000, help_text="Staff notes: who answered, what was agreed."
    )

    objects = ContactMessageQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("created_at", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("purpose_name", read_only=True),
                FieldPanel("language", read_only=True),
                FieldPanel("message", read_only=True),
            ],
            heading="The message",
        ),
        MultiFieldPanel(
            [
                FieldPanel("routed_to_email", read_only=True),
                FieldPanel("delivery", read_only=True),
                FieldPanel("send_attempts", read_only=True),
                FieldPanel("last_error", read_only=True),
            ],
            heading="Delivery",
        ),
        FieldPanel("status"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "contact message"

    def __str__(self):
        return f"{self.name}, {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def state(self):
        """One word for the listing: handled wins; otherwise whether the email got through."""
        if self.status == self.Status.HANDLED:
            return "Handled"
        if self.delivery == self.Delivery.FAILED:
            return "Email failed"
        return "New"

    def record_failure(self, error):
        """After a failed attempt: back off, or give up after the last one. False if the claim
        was no longer this sender's (see record)."""
        if self.send_attempts < settings.CONTACT_EMAIL_MAX_ATTEMPTS:
            # 1, 4, 16, 64... minutes: quick for a blip, patient for an outage.
            retry_at = timezone.now() + timedelta(minutes=4 ** (self.send_attempts - 1))
        else:
            retry_at = None
        return self.record(
            delivery=self.Delivery.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:500],
            next_attempt_at=retry_at,
        )

    def record_sent(self):
        return self.record(
            delivery=self.Delivery.SENT,
            sent_at=timezone.now(),
            next_attempt_at=None,
            last_error="",
        )

    def record(self, **outcome):
        """Write the outcome of this sender's claim. A sender slower than the claim timeout may
        find its claim taken back and given to another sender: then that sender's outcome
        stands, and this one is dropped. True if written."""
        written = (
            type(self).objects.filter(pk=self.pk, claimed_at=self.claimed_at).update(**outcome)
        )
        for field, value in outcome.items():
            setattr(self, field, value)
        return bool(written)
