from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.fields import StreamField
from pages.links.panels import LinkProblemsPanel

from .base import HOME_PAGE, OneQueryViewRestrictions, PreviewedAsServed


class StandardPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """Generic content: About, the accessibility statement, privacy."""

    introduction = models.TextField(
        max_length=400,
        blank=True,
        help_text="Optional. One or two sentences that open the page, shown larger than the text.",
    )
    body = StreamField(BodyBlock(), blank=True, help_text="The page's content, block by block.")

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("introduction"), APIField("body")]

    parent_page_types = [HOME_PAGE, "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    template = "pages/standard_page.html"
