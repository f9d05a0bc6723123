from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from pages.blocks import LinkBlock
from pages.fields import StreamField, WebURLField, web_url_validator
from pages.translation.locales import (
    TranslatableSnippetMixin,
    active_language,
    in_active_language,
)

SOCIAL_SERVICES = [
    ("linkedin", "LinkedIn"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("youtube", "YouTube"),
    ("github", "GitHub"),
    ("other", _("Other")),
]


class SocialProfileValue(blocks.StructValue):
    @property
    def name(self):
        return self.get("label") or dict(SOCIAL_SERVICES).get(
            self.get("service"), gettext("Profile")
        )


class SocialProfileBlock(blocks.StructBlock):
    service = blocks.ChoiceBlock(
        choices=SOCIAL_SERVICES, help_text="The network this profile is on."
    )
    url = blocks.URLBlock(
        validators=[web_url_validator],
        help_text="The profile's full address, starting with https://.",
    )
    label = blocks.CharBlock(
        required=False,
        max_length=60,
        help_text="Optional: the name shown in the footer. Leave empty to use the network's name.",
    )

    class Meta:
        icon = "site"
        value_class = SocialProfileValue


WORDING_HELP = HelpPanel(
    content="The tagline and the footer's links and note are worded per language: edit them "
    "under Snippets › Organisation wording, and translate them from there."
)


@register_setting(icon="site")
class OrganisationSettings(BaseGenericSetting):
    """Who the organisation is and how to reach it: shown in the header, footer and contact page."""

    organisation_name = models.CharField(
        max_length=120,
        default="Invest in Open Infrastructure",
        help_text="The organisation's full name, shown in the header and page titles.",
    )
    contact_email = models.EmailField(
        "primary contact email",
        blank=True,
        help_text="The address the public writes to; shown in the footer and on the contact page.",
    )
    primary_contact = models.ForeignKey(
        "pages.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the footer, and receives messages no other contact is chosen for.",
    )
    website_url = WebURLField(
        "website",
        blank=True,
        help_text="The organisation's main web address, shown on the contact page.",
    )
    postal_address = models.TextField(
        blank=True,
        max_length=500,
        help_text="Optional. A postal address for letters, one line per row.",
    )
    newsletter_url = WebURLField(
        "newsletter sign-up",
        blank=True,
        help_text="Optional. Where people sign up for the newsletter; shown in the footer.",
    )
    social_profiles = StreamField(
        [("profile", SocialProfileBlock())],
        blank=True,
        help_text="The organisation's profiles on social networks, in the order shown.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy notice: linked from the contact form.",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. The picture shown when a page without an image of its own is "
        "shared on social media or in chat. Wide (1200 × 630 px or larger), with no text in it.",
    )

    panels = [
        MultiFieldPanel([FieldPanel("organisation_name"), WORDING_HELP], heading="Identity"),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("primary_contact"),
                FieldPanel("website_url"),
                FieldPanel("postal_address"),
            ],
            heading="Contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("newsletter_url"), FieldPanel("social_profiles")],
            heading="Newsletter and social networks",
        ),
        MultiFieldPanel([FieldPanel("social_image")], heading="Sharing"),
    ]

    # The footer shows the primary contact on every page: fetch it with the settings.
    select_related = ["primary_contact", "privacy_page", "social_image"]

    class Meta:
        verbose_name = "organisation settings"


class OrganisationWording(TranslatableSnippetMixin, models.Model):
    """What the organisation says on every page, worded per language: the tagline in the header,
    the footer's links and note. One row in English, translated like any snippet; a language
    without its translation yet shows the English one."""

    tagline = models.CharField(
        max_length=160, blank=True, help_text="One short line shown beside the name in the header."
    )
    footer_text = models.TextField(
        blank=True,
        max_length=500,
        help_text="A short note at the bottom of every page, e.g. the content licence.",
    )
    footer_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        help_text="Links in the footer, e.g. the accessibility statement and privacy notice.",
    )

    panels = [FieldPanel("tagline"), FieldPanel("footer_links"), FieldPanel("footer_text")]

    class Meta(TranslatableSnippetMixin.Meta):
        verbose_name = "organisation wording"
        verbose_name_plural = "organisation wording"

    def __str__(self):
        return f"Organisation wording ({self.locale.get_display_name()})"

    @classmethod
    def for_request(cls, request=None):
        """The wording in the request's language (else the default language's), or an empty
        one before any is saved. Looked up once per request, in one query."""
        cache_name = f"_organisation_wording_{active_language()}"
        cached = getattr(request, cache_name, None)
        if cached is not None:
            return cached
        rows = in_active_language(cls.objects.all()).select_related("locale")
        wording = max(rows, key=lambda row: row.locale.is_active, default=None) or cls()
        if request is not None:
            setattr(request, cache_name, wording)
        return wording
