"""Who the public should contact about what, and the messages they send through the site."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class ContactPurpose(models.Model):
    """What someone may want to talk about: the contact form's choices and the contact page's
    groups. Staff add their own."""

    name = models.CharField(
        max_length=80, unique=True, help_text="As shown to the public, e.g. 'Funding'."
    )
    description = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional. One line on what this covers, shown on the contact page.",
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the form and on the contact page."
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "contact purpose"

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person or team the public can reach."""

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

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class ContactMessage(models.Model):
    """A message from the public. Stored before anything else happens to it, so it is never lost."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HANDLED = "handled", "Handled"

    class Delivery(models.TextChoices):
        PENDING = "pending", "Not sent yet"
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
    notes = models.TextField(
        blank=True, max_length=2000, help_text="Staff notes: who answered, what was agreed."
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("created_at", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("purpose_name", read_only=True),
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
        self.send_attempts += 1
        self.delivery = self.Delivery.FAILED
        self.last_error = f"{type(error).__name__}: {error}"[:500]
        if self.send_attempts < settings.CONTACT_EMAIL_MAX_ATTEMPTS:
            # 1, 4, 16, 64... minutes: quick for a blip, patient for an outage.
            self.next_attempt_at = timezone.now() + timedelta(minutes=4 ** (self.send_attempts - 1))
        else:
            self.next_attempt_at = None
        self.save(update_fields=["send_attempts", "delivery", "last_error", "next_attempt_at"])

    def record_sent(self):
        self.send_attempts += 1
        self.delivery = self.Delivery.SENT
        self.sent_at = timezone.now()
        self.next_attempt_at = None
        self.last_error = ""
        self.save(
            update_fields=["send_attempts", "delivery", "sent_at", "next_attempt_at", "last_error"]
        )
