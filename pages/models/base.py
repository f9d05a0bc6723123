from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

# Pages sit under the home page (app `home`). Named by label, not imported: pages/ never
# imports home/ (docs/architecture.md).
HOME_PAGE = "home.HomePage"

# Rich text in page introductions: short, no headings (the page's h1 sits just above).
INTRODUCTION_FEATURES = ["bold", "italic", "link"]


class HeroImageMixin(models.Model):
    """An optional large image at the top of a page, with alt text chosen for this use."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. A wide image shown at the top of the page, at least 1600 px wide.",
    )
    hero_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it. "
        "Leave empty only if you tick 'decorative'.",
    )
    hero_image_decorative = models.BooleanField(
        "image is decorative",
        default=False,
        help_text="Tick if the image adds nothing to the text: screen readers will skip it.",
    )

    hero_panels = [
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_decorative"),
            ],
            heading="Hero image",
        )
    ]

    class Meta:
        abstract = True

    @property
    def hero_alt(self):
        return "" if self.hero_image_decorative else self.hero_image_alt

    def clean(self):
        super().clean()
        if (
            self.hero_image_id
            and not self.hero_image_decorative
            and not self.hero_image_alt.strip()
        ):
            raise ValidationError(
                {"hero_image_alt": "Describe the image, or tick 'image is decorative'."}
            )
