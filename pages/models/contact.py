from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyBlock

from .base import HOME_PAGE, INTRODUCTION_FEATURES


class ContactPage(Page):
    """How to reach the organisation. The details themselves are site settings, so the footer and
    this page never disagree."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A few words on what people can contact the organisation about.",
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        help_text="Optional content shown after the contact details.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        HelpPanel(
            content="The email address, website and postal address shown on this page are "
            "edited in Settings &rarr; Organisation settings.",
            heading="Contact details",
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

    template = "pages/contact_page.html"
