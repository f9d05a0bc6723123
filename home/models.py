from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from pages.blocks import BodyBlock, call_to_action_stream
from pages.caching.shared import kept_within_bounds
from pages.fields import RichTextField, StreamField
from pages.links.panels import LinkProblemsPanel
from pages.models.base import (
    INTRODUCTION_FEATURES,
    HeroImageMixin,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    public_pages,
)
from pages.models.impact import ImpactPage
from pages.models.initiatives import InitiativePage

KEY_ACTIVITIES_SHOWN = 3
IMPACT_HIGHLIGHTS_SHOWN = 3


class HomePage(PreviewedAsServed, OneQueryViewRestrictions, HeroImageMixin, Page):
    """The overview: who the organisation is, its key activities and its impact."""

    headline = models.CharField(
        max_length=150,
        help_text="The main message at the top of the page, in a sentence. It is the page's "
        "only level 1 heading.",
    )
    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short paragraph under the headline: what the organisation does.",
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        help_text="Optional content between the introduction and the key activities.",
    )
    key_activities_heading = models.CharField(
        max_length=120,
        default="Our key activities",
        help_text="The heading above the featured initiatives.",
    )
    impact_heading = models.CharField(
        max_length=120,
        default="Our impact",
        help_text="The heading above the impact highlights, which come from the impact page.",
    )
    call_to_action = StreamField(
        call_to_action_stream(),
        blank=True,
        max_num=1,
        help_text="Optional. One invitation shown at the end of the page.",
    )

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("headline"),
        FieldPanel("introduction"),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("key_activities_heading"),
                InlinePanel(
                    "featured_initiatives",
                    label="Initiative",
                    help_text="Choose the initiatives to feature, in order. With none chosen, "
                    f"the {KEY_ACTIVITIES_SHOWN} most recently published are shown.",
                    max_num=6,
                ),
            ],
            heading="Key activities",
        ),
        FieldPanel("impact_heading"),
        FieldPanel("call_to_action"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("headline"),
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    # Not the featured initiatives: the API would name an initiative that is a draft or private.
    api_fields = [
        APIField("headline"),
        APIField("introduction"),
        *HeroImageMixin.api_hero_fields,
        APIField("body"),
        APIField("key_activities_heading"),
        APIField("impact_heading"),
        APIField("call_to_action"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.InitiativeIndexPage",
        "pages.ImpactPage",
        "pages.ContactPage",
        "pages.ResourcesPage",
        "pages.ResearchIndexPage",
        "pages.NewsIndexPage",
        "pages.PeopleIndexPage",
        "pages.StandardPage",
    ]

    template = "home/home_page.html"

    def route(self, request, path_components):
        """Find the page in one query by its URL path, where Wagtail walks the tree a level (and
        two queries) at a time: the deepest page whose path starts the address, which routes
        the rest (a routable page's sub-path: a form's thank-you page, a citation download).
        Nothing found that way is a 404 at once: Wagtail's walk would look for the first
        component among the home's children in a query of its own and find nothing either
        (every page's URL path is its ancestors' slugs and its own; Wagtail keeps them so).
        Wagtail routes from the home page in the request's language: the navigation and the
        breadcrumbs start from it too (pages/translation/alternates.py: language_home)."""
        request._routed_home = self
        if path_components:
            found = self._deepest_page(request, path_components)
            if found is None:
                raise Http404  # no page's URL path starts the address
            remaining = path_components[found.depth - self.depth :]
            return found.route(request, remaining)
        return super().route(request, path_components)

    def _deepest_page(self, request, path_components):
        """The deepest page, of its specific type, whose URL path starts the address; None if
        there is none. Which page that is (its type, id and URL path) is kept per cache
        generation (pages/caching/shared.py: a publish, move, unpublish or deletion sets a new
        one), so that a kept address costs one query, the page's own row; an address that
        names no page is looked up each time it is asked for."""
        prefixes = [
            f"{self.url_path}{'/'.join(path_components[:n])}/"
            for n in range(1, len(path_components) + 1)
        ]

        def look_up():
            return (
                Page.objects.filter(url_path__in=prefixes)
                .order_by("-depth")
                .values_list("content_type_id", "pk", "url_path")
                .first()
            )

        found = kept_within_bounds(
            f"route:{self.pk}:{prefixes[-1]}",
            request,
            look_up,
            size=lambda _: 100,
            keep=lambda found: found is not None,  # a crawler's made-up addresses are not kept
        )
        if found is None:
            return None
        content_type_id, pk, url_path = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        # By its primary key, unordered: `.first()` would order by it, and compiling that
        # ordering was a tenth of a kept page's time.
        rows = model.objects.filter(pk=pk).order_by()[:1] if model is not None else ()
        page = next(iter(rows), None)
        if page is None or page.url_path != url_path:
            # Moved or gone since it was kept, without a new generation (code that saves a page
            # without publishing it): looked up again, not kept.
            found = look_up()
            if found is None:
                return None
            page = Page.objects.get(pk=found[1]).specific
        return page

    def key_activities(self):
        """The featured initiatives in the editor's order, else the latest. Reads the in-memory
        choices, so a preview shows what the editor has just picked."""
        chosen = [f.initiative_id for f in self.featured_initiatives.all() if f.initiative_id]
        if chosen:
            # A translated home page keeps the English choices (wagtail-localize copies them):
            # each is shown in this page's language where it has a live translation, in one
            # query with the chosen pages themselves.
            translated = Page.objects.filter(pk__in=chosen).values("translation_key")
            found = list(
                InitiativePage.objects.for_listing().filter(
                    Q(pk__in=chosen) | Q(translation_key__in=translated, locale_id=self.locale_id)
                )
            )
            by_pk = {page.pk: page for page in found}
            in_language = {p.translation_key: p for p in found if p.locale_id == self.locale_id}
            return [
                in_language.get(by_pk[pk].translation_key, by_pk[pk])
                for pk in chosen
                if pk in by_pk
            ]
        return list(
            InitiativePage.objects.for_listing()
            .descendant_of(self)
            .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:KEY_ACTIVITIES_SHOWN]
        )

    def impact_page(self):
        return public_pages(ImpactPage.objects.live().descendant_of(self)).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the page's content once per cache generation ({% fragment %}),
        # and these queries run only when it is worked out again.
        context["parts"] = SimpleLazyObject(self.parts)
        return context

    def parts(self):
        impact_page = self.impact_page()
        return {
            "key_activities": self.key_activities(),
            "impact_page": impact_page,
            "impact_highlights": (
                impact_page.highlights.all()[:IMPACT_HIGHLIGHTS_SHOWN] if impact_page else []
            ),
        }


class FeaturedInitiative(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_initiatives")
    initiative = models.ForeignKey(
        "pages.InitiativePage",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="An initiative to feature on the home page.",
    )

    panels = [FieldPanel("initiative")]
