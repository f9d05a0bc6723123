"""The link library staff manage, and what the link checker found at each address."""

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.fields import WebURLField
from pages.translation.locales import TranslatableSnippetMixin


class LinkCategory(TranslatableSnippetMixin, models.Model):
    name = models.CharField(max_length=60, help_text="As shown to the public, e.g. 'Reports'.")
    slug = models.SlugField(max_length=60, help_text="Used in the address of the filtered list.")
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first on the Resources page."
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("slug"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name_plural = "link categories"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "locale"], name="link_category_name_unique_per_language"
            ),
            models.UniqueConstraint(
                fields=["slug", "locale"], name="link_category_slug_unique_per_language"
            ),
        ]

    def __str__(self):
        return self.name


class Link(TranslatableSnippetMixin, models.Model):
    """A page elsewhere that the site points to: a partner, a funder, a report, a post. Its
    title and description are worded per language; a translation may point to the page's own
    version in that language."""

    LANGUAGES = [("en", "English"), ("es", "Spanish"), ("fr", "French"), ("pt", "Portuguese")]

    title = models.CharField(
        max_length=200, help_text="What the link leads to, as readers will see it."
    )
    url = WebURLField(
        "web address",
        max_length=2000,
        help_text="The full address, starting with https:// (or http://).",
    )
    description = models.TextField(
        max_length=500, blank=True, help_text="Optional. One or two sentences about it."
    )
    category = models.ForeignKey(
        LinkCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links",
        help_text="Groups the link on the Resources page.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. The organisation's logo, e.g. for a partner.",
    )
    language = models.CharField(
        max_length=8,
        choices=LANGUAGES,
        default="en",
        help_text="The language of the page it leads to.",
    )
    featured = models.BooleanField(
        default=False, help_text="Featured links come first on the Resources page."
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("language")]),
        FieldPanel("logo"),
        FieldPanel("featured"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("description"),
        SynchronizedField("url", overridable=True),
        TranslatableField("category"),
        SynchronizedField("logo"),
        SynchronizedField("language", overridable=True),
        SynchronizedField("featured"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["-featured", "title"]

    def __str__(self):
        return self.title

    def health(self):
        """The last check's verdict; the admin listing annotates it (`health_status`)."""
        status = getattr(self, "health_status", None)
        if status is None and not hasattr(self, "health_status"):
            status = (
                CheckedURL.objects.filter(url=self.url).values_list("status", flat=True).first()
            )
        return CheckedURL.Status(status).label if status else "Not checked yet"

    health.short_description = "Health"


class CheckedURL(models.Model):
    """The last check of one external address, wherever the site uses it."""

    class Status(models.TextChoices):
        OK = "ok", "OK"
        REDIRECTED = "redirected", "Redirected"
        BROKEN = "broken", "Broken"
        UNREACHABLE = "unreachable", "Unreachable"
        # Not an error: the address is on an internal network, so the checker stays away.
        INTERNAL = "internal", "Not checked: internal address"

    url = models.URLField(max_length=2000, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, db_index=True)
    http_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    permanent_redirect = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["url"]
        verbose_name = "checked address"

    def __str__(self):
        return self.url


class URLUsage(models.Model):
    """Where an external address appears: rebuilt by every run of the checker."""

    url = models.URLField(max_length=2000, db_index=True)
    label = models.CharField(max_length=300)
    edit_url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label


class LinkCheckLock(models.Model):
    """One row: the link check that holds it until `expires_at` runs, any other refuses to
    start (pages/links/checker.py: RunLock). The run renews it as it goes, so a run that dies
    frees it within one lease."""

    holder = models.CharField(
        max_length=200, blank=True, help_text="The machine and process running the check."
    )
    token = models.CharField(
        max_length=32, blank=True, help_text="Tells the holder's own renewals from another run's."
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the run began.")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Free after this time; empty when no check is running."
    )

    class Meta:
        verbose_name = "link check lock"

    def __str__(self):
        return self.holder or "free"
