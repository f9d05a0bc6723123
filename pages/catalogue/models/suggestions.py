"""An infrastructure suggested by the public for the catalogue (/catalogue/suggest/), stored
before anything else happens to it; staff accept it into a draft entry or decline it
(pages/catalogue/review.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from pages.fields import WebURLField

from .entries import CatalogueEntryPage, Term


class Suggestion(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted: a draft entry"
        DECLINED = "declined", "Declined"

    submission_id = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="One per form shown, so a double click stores one suggestion.",
    )
    created_at = models.DateTimeField("received", default=timezone.now, db_index=True)
    name = models.CharField(
        max_length=255, help_text="The infrastructure's name, as the sender gave it."
    )
    website = WebURLField(max_length=500, help_text="Its home page, as the sender gave it.")
    provider = models.CharField(
        max_length=255, blank=True, help_text="The organisation behind it, if the sender said."
    )
    category = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"vocabulary": "category"},
        help_text="The kind of infrastructure the sender chose, if any.",
    )
    category_name = models.CharField(
        max_length=120, blank=True, help_text="The category as it was named when sent."
    )
    description = models.TextField(
        max_length=1000, help_text="What it does, in the sender's words."
    )
    email = models.EmailField(
        "contact email", help_text="Where to write to the sender about this suggestion."
    )
    consent_to_contact = models.BooleanField(
        "may be contacted",
        default=False,
        help_text="The sender agreed that IOI may write to them about this suggestion.",
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of the form it was sent from: write to the sender in it.",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        db_index=True,
        help_text="New until someone accepts it into a draft entry or declines it.",
    )
    entry = models.ForeignKey(
        CatalogueEntryPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The draft entry made when it was accepted.",
    )
    decline_reason = models.TextField(
        "reason for declining",
        blank=True,
        max_length=1000,
        help_text="Why it was declined, e.g. 'Not open infrastructure' or 'Already listed'.",
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was accepted or declined."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who accepted or declined it (staff only: never shown to the public).",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("created_at", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("website", read_only=True),
                FieldPanel("provider", read_only=True),
                FieldPanel("category_name", read_only=True),
                FieldPanel("description", read_only=True),
                FieldRowPanel(
                    [
                        FieldPanel("email", read_only=True),
                        FieldPanel("consent_to_contact", read_only=True),
                        FieldPanel("language", read_only=True),
                    ]
                ),
            ],
            heading="The suggestion",
        ),
        MultiFieldPanel(
            [
                FieldPanel("status", read_only=True),
                FieldPanel("entry", read_only=True),
                FieldPanel("decline_reason", read_only=True),
                FieldPanel("decided_at", read_only=True),
            ],
            heading="The decision",
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "suggested infrastructure"
        verbose_name_plural = "suggested infrastructures"

    def __str__(self):
        return f"{self.name}, {self.created_at:%Y-%m-%d}"
