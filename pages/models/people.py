"""The people behind the research and news at /people/: everyone with published work, and a
profile for each (/people/<slug>/) listing their publications and posts."""

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from pages.fields import RichTextField
from pages.people.models import Person
from pages.translation.locales import active_language, in_active_language

from .base import (
    HOME_PAGE,
    INTRODUCTION_FEATURES,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    kept_per_generation,
    public_pages,
)
from .news import NewsAuthor, NewsPage
from .research import PublicationAuthor, PublicationPage


class PeopleIndexPage(PreviewedAsServed, OneQueryViewRestrictions, RoutablePageMixin, Page):
    """Everyone who has written for the site, each with a profile listing their work."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening above the list of people.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = []
    max_count = 1

    template = "pages/people_index_page.html"
    # The newest of each kind on a profile; the research and news indexes list everything.
    WORKS_SHOWN = 50

    def published_work(self):
        """Live, public publications and posts in this index's language."""
        return (
            public_pages(
                PublicationPage.objects.live().filter(locale_id=self.locale_id)
            ).defer_streamfields(),
            public_pages(
                NewsPage.objects.live().filter(locale_id=self.locale_id)
            ).defer_streamfields(),
        )

    def people(self):
        """People credited on at least one live, public publication or post in this language,
        each as translated into it (else in English): a translated page may credit a person's
        English row or their translation."""
        publications, posts = self.published_work()
        credited = Person.objects.filter(
            Exists(publications.filter(authors__person=OuterRef("pk")))
            | Exists(posts.filter(authors__person=OuterRef("pk")))
        ).values("translation_key")
        return in_active_language(
            Person.objects.select_related("photo").filter(translation_key__in=credited)
        )

    @path("")
    def index(self, request):
        # Lazy: the template keeps the list once per cache generation ({% fragment %}), and
        # building this query alone (two subqueries of public pages) took most of a kept
        # render, some 12 ms of 13.
        return self.render(request, context_overrides={"people": SimpleLazyObject(self.people)})

    def people_by_slug(self, request):
        """people() by slug (the first of each, in their order), kept once per cache generation:
        a profile's lookup built the two subqueries of public pages on every request, some
        4 ms of a 7 ms render."""

        def by_slug():
            found = {}
            for person in self.people():
                found.setdefault(person.slug, person)
            return found

        return kept_per_generation(
            request,
            f"people:{self.pk}:{active_language()}",
            by_slug,
            size=lambda people: 1000 * len(people),  # about a row's worth of text each
        )

    @path("<slug:slug>/")
    def person(self, request, slug):
        person = self.people_by_slug(request).get(slug)
        if person is None:
            raise Http404("No one by that name has published work here.")
        return self.render(
            request,
            template="pages/person_page.html",
            context_overrides={
                "person": person,
                # Lazy: the template keeps the person's work once per cache generation
                # ({% fragment %}); its queries run only when it is worked out again.
                "work": SimpleLazyObject(lambda: self.work(person)),
                "works_shown": self.WORKS_SHOWN,
            },
        )

    def work(self, person):
        """The person's newest publications and posts here, and how many of each."""
        same_person = {"person__translation_key": person.translation_key}
        publications = PublicationPage.objects.for_listing().filter(
            Exists(PublicationAuthor.objects.filter(page=OuterRef("pk"), **same_person)),
            locale_id=self.locale_id,
        )
        posts = NewsPage.objects.for_listing().filter(
            Exists(NewsAuthor.objects.filter(page=OuterRef("pk"), **same_person)),
            locale_id=self.locale_id,
        )
        # Both counts in one query: a subquery each.
        publications_count, posts_count = (
            Page.objects.filter(pk=self.pk)
            .annotate(p=_count(publications), n=_count(posts))
            .values_list("p", "n")
            .get()
        )
        return {
            "publications": publications[: self.WORKS_SHOWN],
            "publications_count": publications_count,
            "posts": posts[: self.WORKS_SHOWN],
            "posts_count": posts_count,
        }


def _count(queryset):
    """The number of rows `queryset` finds, as a subquery."""
    rows = queryset.order_by().values("locale_id").annotate(rows=Count("pk")).values("rows")
    return Coalesce(Subquery(rows[:1]), 0)
