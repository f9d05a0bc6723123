from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from pages.blocks import BodyBlock, call_to_action_stream, related_links_stream
from pages.fields import RichTextField, StreamField
from pages.links.panels import LinkProblemsPanel

from .base import (
    HOME_PAGE,
    INTRODUCTION_FEATURES,
    HeroImageMixin,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    public_pages,
)
from .site_settings import OrganisationSettings


class InitiativeQuerySet(PageQuerySet):
    def for_listing(self):
        """What a card needs (the index and the home page), and only for readers' eyes."""
        return public_pages(self.live()).select_related("hero_image").defer_streamfields()


class InitiativeIndexPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """The organisation's work: lists its initiatives."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening above the list of initiatives.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = ["pages.InitiativePage"]

    template = "pages/initiative_index_page.html"
    per_page = 12

    def initiatives(self):
        """Live, public children in the order editors gave them in the page explorer."""
        return InitiativePage.objects.for_listing().child_of(self).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the page's content once per cache generation ({% fragment %}),
        # and these queries run only when it is worked out again.
        paginator = Paginator(self.initiatives(), self.per_page)
        context["parts"] = SimpleLazyObject(
            lambda: {"initiatives": paginator.get_page(request.GET.get("page"))}
        )
        return context


class InitiativePage(PreviewedAsServed, OneQueryViewRestrictions, HeroImageMixin, Page):
    """One strand of the organisation's work."""

    STATUS_CHOICES = [
        ("planned", _("Planned")),
        ("active", _("Active")),
        ("completed", _("Completed")),
    ]

    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences: what this initiative does and for whom. Shown on cards "
        "that link here and to search engines.",
    )
    status = models.CharField(
        max_length=20,
        choices=STATUS_CHOICES,
        blank=True,
        help_text="Optional. Where the initiative stands today.",
    )
    start_date = models.DateField(
        null=True, blank=True, help_text="Optional. When the initiative began or will begin."
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Optional. When it ended or is planned to end."
    )
    body = StreamField(BodyBlock(), blank=True, help_text="The full story, block by block.")
    related_links = StreamField(
        related_links_stream(),
        blank=True,
        help_text="Pages here or elsewhere that tell more, in the order shown.",
    )
    call_to_action = StreamField(
        call_to_action_stream(),
        blank=True,
        max_num=1,
        help_text="Optional. One invitation shown at the end of the page.",
    )
    contact = models.ForeignKey(
        "pages.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who to contact about this initiative. Leave empty for the primary contact "
        "(Settings → Organisation settings).",
    )

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading="Status and dates",
        ),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
        FieldPanel("related_links"),
        FieldPanel("call_to_action"),
        FieldPanel("contact"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    # Not `contact`: who to write to is shown on the page through its public contacts only.
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("start_date"),
        APIField("end_date"),
        *HeroImageMixin.api_hero_fields,
        APIField("body"),
        APIField("related_links"),
        APIField("call_to_action"),
    ]

    parent_page_types = ["pages.InitiativeIndexPage"]
    subpage_types = []

    template = "pages/initiative_page.html"
    objects = PageManager.from_queryset(InitiativeQuerySet)()

    def contact_for_page(self, request=None):
        """The chosen contact if the public may see it, else the organisation's primary one."""
        if self.contact and self.contact.is_public:
            return self.contact
        primary = OrganisationSettings.load(request_or_site=request).primary_contact
        return primary if primary and primary.is_public else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the page's content once per cache generation ({% fragment %}),
        # and these queries run only when it is worked out again.
        context["parts"] = SimpleLazyObject(
            lambda: {
                "page_contact": self.contact_for_page(request),
                # A link whose page was deleted or unpublished drops out rather than render an
                # empty href.
                "related_links": [link for link in self.related_links if link.value.href],
            }
        )
        return context

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must not be before the start date."})
