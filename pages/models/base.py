from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, OuterRef, When
from django.db.models.functions import Coalesce, Length, Substr
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import PageViewRestriction

from pages.translation.locales import active_language

# Pages sit under the home page (app `home`). Named by label, not imported: pages/ never
# imports home/ (docs/architecture.md).
HOME_PAGE = "home.HomePage"
# The people index lists the authors of publications and posts, so it stands above them; the
# bylines on those pages find it by label.
PEOPLE_INDEX_PAGE = "pages.PeopleIndexPage"

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

    api_hero_fields = [APIField("hero_image"), APIField("hero_alt")]

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


def public_pages(queryset):
    """Wagtail's `.public()`, folded into the listing's own SQL statement.

    `.public()` first loads every view restriction in a query of its own, each time it is used;
    a page listing three things paid for it three times. Here a page is kept unless a restriction
    sits on it or on an ancestor (a restricted page's path is a prefix of the page's path)."""
    restricted_ancestor = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted_ancestor))


class OneQueryViewRestrictions:
    """Serving a page checks the view restrictions of the page and its ancestors. Wagtail loads
    the ancestors and then their restrictions (two queries); the ancestors' paths are already in
    the page's own path, so one query does. A restriction on the source of an aliased ancestor
    counts too, as in Wagtail. None at all where the router found that the site has no view
    restriction (`no_view_restrictions`, set per cache generation: pages/translation/routing.py)."""

    no_view_restrictions = False

    def get_view_restrictions(self):
        from wagtail.models import Page

        if self.no_view_restrictions:
            # Already evaluated, as empty: Wagtail iterates it before serving every page, and
            # iterating `.none()` still compiles its query (a tenth of a kept page's time).
            # A filter or count on it still answers as `.none()` does.
            none = PageViewRestriction.objects.none()
            none._result_cache = []
            return none

        steplen = self.steplen
        paths = [self.path[:end] for end in range(steplen, len(self.path) + 1, steplen)]
        # An alias (of the page or of an ancestor) is checked by its source's restrictions.
        checked = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of_id", "id"))
        return PageViewRestriction.objects.filter(page_id__in=checked)


class PreviewedAsServed:
    """Wagtail runs its `before_serve_page` hooks when it serves a page, not when an editor
    previews one. The hooks registered as `before_preview_page` (those that change what the
    page shows, not whether it is served) run before both, so that a preview shows what readers
    will get: a Spanish page's links to Spanish pages (pages/translation/links.py)."""

    def serve_preview(self, request, mode_name):
        for hook in hooks.get_hooks("before_preview_page"):
            hook(self, request)
        return super().serve_preview(request, mode_name)


def kept_per_generation(request, name, compute, size=len):
    """compute()'s value, worked out once per cache generation for a request the site's routing
    served (pages/translation/routing.py hands it the keeping of pages/caching/shared.py, within
    the bounds `{% fragment %}` keeps: `size(value)` counts against them, the request's host is
    part of the name); compute() itself anywhere else: an editor's preview, the admin, a command,
    or wherever shared parts are off. Page types import no caching; this is their one seam."""
    keep = getattr(request, "kept_per_generation", None)
    return compute() if keep is None else keep(name, compute, size)


def people_index_url(request):
    """The people index's address, or None without one: bylines link names to profiles there.
    Looked up once per request, however many names a page shows."""
    cache_name = f"_people_index_url_{active_language()}"
    if request is not None and hasattr(request, cache_name):
        return getattr(request, cache_name)
    people_index = apps.get_model(PEOPLE_INDEX_PAGE)
    # The reader's language's index, else the default language's.
    language = active_language()
    index = (
        public_pages(people_index.objects.live())
        .filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
        .order_by(Case(When(locale__language_code=language, then=0), default=1))
        .defer_streamfields()
        .first()
    )
    url = index.get_url(request) if index is not None else None
    if request is not None:
        setattr(request, cache_name, url)
    return url


class AuthoredMixin:
    """A page with ordered authors (an `authors` inline of people or organisations)."""

    def ordered_authors(self):
        """The authors in order, each with their person, loaded once per page: the byline, the
        citation and the structured data all read them. A listing's prefetch is used as it is;
        a preview's in-memory choices too."""
        cached = getattr(self, "_ordered_authors", None)
        if cached is None:
            authors = self.authors.all()
            if "authors" not in getattr(self, "_prefetched_objects_cache", {}):
                authors = authors.select_related("person")
            cached = self._ordered_authors = [a for a in authors if a.person_id or a.organisation]
        return cached
