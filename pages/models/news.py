"""News at /news/: posts with their date, authors and tags, newest first, filtered by tag."""

from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import pgettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.fields import RichTextField, StreamField
from pages.links.panels import LinkProblemsPanel
from pages.people.models import Authorship

from .base import (
    HOME_PAGE,
    INTRODUCTION_FEATURES,
    AuthoredMixin,
    HeroImageMixin,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    people_index_url,
    public_pages,
)
from .initiatives import InitiativePage
from .research import PublicationPage, authors_prefetch, filter_address, related_pages


class NewsQuerySet(PageQuerySet):
    def for_listing(self):
        """What a card needs, for readers' eyes only: authors and tags in three queries for the
        whole page of results."""
        return (
            public_pages(self.live())
            .defer_streamfields()
            .prefetch_related(authors_prefetch(NewsAuthor), "tags")
            .order_by("-published_on", "-first_published_at", "-pk")
        )


class NewsIndexPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """News and updates, newest first, with a filter by tag."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening above the list of posts.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = ["pages.NewsPage"]
    max_count = 1

    template = "pages/news_index_page.html"
    per_page = 10

    def posts(self):
        return NewsPage.objects.for_listing().child_of(self)

    def tags(self):
        """The tags of live, public posts here, by name, for the filter."""
        posts = public_pages(NewsPage.objects.live().child_of(self))
        return (
            Tag.objects.filter(pages_newspagetag_items__content_object__in=posts.values("pk"))
            .distinct()
            .order_by(Lower("name"))
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the listing once per cache generation ({% fragment %}), and
        # its queries run only when it is worked out again.
        context.update(
            listing=SimpleLazyObject(lambda: self.listing(request)),
            listing_key=(self.pk, request.GET.get("tag", ""), request.GET.get("page", "")),
        )
        return context

    def listing(self, request):
        tags = list(self.tags())
        wanted = request.GET.get("tag", "")
        chosen = next((tag for tag in tags if tag.slug == wanted), None)
        posts = self.posts()
        if chosen is not None:
            posts = posts.filter(tags=chosen)
        address = filter_address(self.get_url(request))
        return {
            "posts": Paginator(posts, self.per_page).get_page(request.GET.get("page")),
            "tag_links": [(pgettext("every tag", "All"), address(), chosen is None)]
            + [(tag.name, address(tag=tag.slug), tag == chosen) for tag in tags],
            "tag_base": address() + "?",
            "chosen_tag": chosen,
            "unknown_tag": bool(wanted) and chosen is None,
            "filters_query": f"tag={chosen.slug}&" if chosen else "",
            "people_url": people_index_url(request),
        }


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "pages.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(PreviewedAsServed, OneQueryViewRestrictions, AuthoredMixin, HeroImageMixin, Page):
    """A news post: an announcement, an update on a fund or programme, a story."""

    published_on = models.DateField(
        "date",
        null=True,  # in drafts only: required to publish
        default=date.today,
        help_text="The post's date, shown with it. The list shows the newest first.",
    )
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences on what the news is. Shown in the list of posts, in "
        "feeds and to search engines.",
    )
    body = StreamField(BodyBlock(), help_text="The post, block by block.")
    tags = ClusterTaggableManager(
        through=NewsPageTag,
        blank=True,
        help_text="Optional. A few words readers can follow, e.g. 'funding' or 'Infra Finder'. "
        "Press Enter or type a comma after each one.",
    )
    related_initiatives = ParentalManyToManyField(
        "pages.InitiativePage",
        blank=True,
        related_name="news_posts",
        help_text="Optional. The initiatives this post is about.",
    )
    related_publications = ParentalManyToManyField(
        "pages.PublicationPage",
        blank=True,
        related_name="news_posts",
        help_text="Optional. Publications this post announces or draws on.",
    )

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        FieldPanel("published_on"),
        InlinePanel(
            "authors",
            heading="Authors",
            label="Author",
            max_num=20,
            help_text="Who wrote it, in order: people from Snippets → People, or an organisation.",
        ),
        FieldPanel("summary"),
        FieldPanel("tags"),
        *HeroImageMixin.hero_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("related_initiatives", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_publications"),
            ],
            heading="Related",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields(
            "authors",
            [
                index.SearchField("organisation"),
                index.RelatedFields(
                    "person", [index.SearchField("given_names"), index.SearchField("family_name")]
                ),
            ],
        ),
        index.FilterField("published_on"),
    ]
    # Not the related pages: they could name a draft.
    api_fields = [
        APIField("published_on"),
        APIField("authors"),
        APIField("summary"),
        APIField("tags"),
        *HeroImageMixin.api_hero_fields,
        APIField("body"),
    ]

    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []

    template = "pages/news_page.html"
    objects = PageManager.from_queryset(NewsQuerySet)()

    class Meta:
        verbose_name = "news post"

    @cached_property
    def tag_list(self):
        # By name: the tags' query has no order of its own, and PostgreSQL's changes with the
        # rows' places on disk (after a restore, say). Sorted here to keep the listing's prefetch.
        return sorted(self.tags.all(), key=lambda tag: tag.name.casefold())

    @property
    def index_url(self):
        """The news index's address (for the tag links), from the post's own: no query."""
        url = self.url or ""
        suffix = f"{self.slug}/"
        return url[: -len(suffix)] if url.endswith(suffix) else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the post's content once per cache generation
        # ({% fragment %}), and these queries run only when it is worked out again.
        context["detail"] = SimpleLazyObject(
            lambda: {
                "authors": self.ordered_authors(),
                "people_url": people_index_url(request),
                "related_initiatives": related_pages(InitiativePage, self.related_initiatives),
                "related_publications": related_pages(PublicationPage, self.related_publications),
            }
        )
        return context


class NewsAuthor(Orderable, Authorship):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="authors")
