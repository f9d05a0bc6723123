"""A person who writes for IOI: chosen as an author of publications and news posts, with a
profile page listing their work (pages/models/people.py)."""

import logging

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.scholarly.identifiers import ORCIDField, validate_orcid
from pages.translation.locales import TranslatableSnippetMixin

logger = logging.getLogger(__name__)


class Person(TranslatableSnippetMixin, index.Indexed, models.Model):
    given_names = models.CharField(
        max_length=100,
        blank=True,
        help_text="e.g. 'Ana María'. Leave empty for someone known by one name only.",
    )
    family_name = models.CharField(
        max_length=100,
        help_text="The name citations sort by, e.g. 'García López'. For someone known by one "
        "name only, put it here.",
    )
    slug = models.SlugField(
        max_length=120,
        blank=True,
        help_text="The end of their profile's address, e.g. 'ana-garcia'. Leave empty to make "
        "one from the name; change it later only if you must, as links to it would break.",
    )
    role = models.CharField(max_length=120, blank=True, help_text="Optional. e.g. 'Research lead'.")
    organisation = models.CharField(
        max_length=160,
        blank=True,
        help_text="Optional. Where they work, if not at IOI, e.g. a guest author's university.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. A portrait, shown square on their profile.",
    )
    photo_alt = models.CharField(
        "photo alt text",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for people who cannot see it. Leave empty to use "
        "'Portrait of' and their name.",
    )
    bio = models.TextField(
        max_length=800,
        blank=True,
        help_text="Optional. A few sentences about them, shown on their profile.",
    )
    orcid = ORCIDField(
        "ORCID iD",
        blank=True,
        help_text="Optional. Their ORCID iD, e.g. 0000-0002-1825-0097 (a full orcid.org address "
        "is fine too). Shown as a link and given to scholarly indexes.",
    )

    panels = [
        FieldRowPanel([FieldPanel("given_names"), FieldPanel("family_name")]),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("organisation")]),
        MultiFieldPanel([FieldPanel("photo"), FieldPanel("photo_alt")], heading="Photo"),
        FieldPanel("bio"),
        FieldPanel("orcid"),
    ]
    search_fields = [
        index.SearchField("given_names"),
        index.SearchField("family_name"),
        index.AutocompleteField("family_name"),
        index.SearchField("organisation"),
    ]

    # A person's name and address are the same in every language; what is said about them is
    # translated.
    translatable_fields = [
        SynchronizedField("given_names"),
        SynchronizedField("family_name"),
        SynchronizedField("slug"),
        TranslatableField("role"),
        SynchronizedField("organisation"),
        SynchronizedField("photo"),
        TranslatableField("photo_alt"),
        TranslatableField("bio"),
        SynchronizedField("orcid"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="person_slug_unique_per_language"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    @property
    def alt_text(self):
        return self.photo_alt or gettext("Portrait of %(name)s") % {"name": self.name}

    @cached_property
    def orcid_url(self):
        """Their ORCID iD's address, or "" for none or one its validator would refuse
        (written by code: left out, with a warning)."""
        if not self.orcid:
            return ""
        try:
            validate_orcid(self.orcid)
        except ValidationError:
            logger.warning("Person %s: %r is not an ORCID iD; it is left out.", self.pk, self.orcid)
            return ""
        return f"https://orcid.org/{self.orcid}"

    def csl_name(self):
        return {"family": self.family_name, "given": self.given_names}

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        if not self.slug:
            raise ValidationError({"slug": "Give an address made of letters and numbers."})
        self.fill_locale()
        clash = Person.objects.filter(slug=self.slug, locale_id=self.locale_id).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(
                {"slug": f"{clash.first().name} has this address already: choose another."}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Authorship(models.Model):
    """One author of a page, in order: a person, or an organisation as corporate author."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        # A person who wrote something stays until their work names someone else: a citation
        # that lost an author would be wrong.
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A person from People (Snippets → People).",
    )
    organisation = models.CharField(
        "or an organisation",
        max_length=200,
        blank=True,
        help_text="Or an organisation as the author, e.g. 'Invest in Open Infrastructure'. "
        "Fill in one of the two.",
    )

    panels = [FieldPanel("person"), FieldPanel("organisation")]
    # The name as cited, and a person's ORCID iD: nothing else about them goes out.
    api_fields = [APIField("name"), APIField("orcid")]

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.person.name if self.person_id else self.organisation

    @property
    def orcid(self):
        return self.person.orcid if self.person_id else ""

    def csl_name(self):
        return self.person.csl_name() if self.person_id else {"literal": self.organisation}

    def clean(self):
        super().clean()
        self.organisation = self.organisation.strip()
        if bool(self.person_id) == bool(self.organisation):
            raise ValidationError(
                "Choose a person or type an organisation's name for each author, not both."
            )
