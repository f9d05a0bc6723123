from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.fields import WebURLField
from pages.links.panels import LinkProblemsPanel

from .base import HOME_PAGE, INTRODUCTION_FEATURES, OneQueryViewRestrictions


class ImpactHighlight(Orderable):
    page = ParentalKey("pages.ImpactPage", on_delete=models.CASCADE, related_name="highlights")
    figure = models.CharField(
        max_length=20, help_text="The headline figure or word, e.g. '10+'. Keep it short."
    )
    label = models.CharField(
        max_length=80, help_text="What the figure stands for, e.g. 'organisations supported'."
    )
    description = models.TextField(
        max_length=300, blank=True, help_text="Optional. A sentence or two of context."
    )
    source_url = WebURLField(
        "source link",
        blank=True,
        help_text="Optional. Where a reader can check the figure, starting with https://.",
    )
    source_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="The words of the source link. Leave empty to use 'Source'.",
    )

    panels = [
        FieldPanel("figure"),
        FieldPanel("label"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("source_url"), FieldPanel("source_title")], heading="Source"),
    ]

    def __str__(self):
        return f"{self.figure} {self.label}"


class ImpactPage(OneQueryViewRestrictions, Page):
    """What the organisation's work has changed, led by a few highlights."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening on the difference the work makes.",
    )
    body = StreamField(BodyBlock(), blank=True, help_text="Optional content after the highlights.")

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel(
            "highlights",
            heading="Impact highlights",
            label="Highlight",
            help_text="The key results, in the order shown. The home page shows the first three.",
            max_num=12,
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = [HOME_PAGE]
    subpage_types = []
    max_count = 1

    template = "pages/impact_page.html"
