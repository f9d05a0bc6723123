"""Research at /research/: one page per publication, each citable (APA, BibTeX, RIS, CSL-JSON) and
described for scholarly indexes; the index lists them newest first, by type and by year."""

import logging
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from pages.blocks import BodyBlock
from pages.fields import RichTextField, SafeURLAPIField, StreamField, WebURLField
from pages.links.panels import LinkProblemsPanel
from pages.people.models import Authorship
from pages.scholarly import citations
from pages.scholarly.identifiers import DOIField, validate_doi
from pages.scholarly.licences import LICENCE_CHOICES, LICENCES
from pages.translation.locales import active_language

from .base import (
    HOME_PAGE,
    INTRODUCTION_FEATURES,
    AuthoredMixin,
    HeroImageMixin,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    kept_per_generation,
    people_index_url,
    public_pages,
)
from .initiatives import InitiativePage
from .site_settings import OrganisationSettings

PUBLICATION_TYPES = [
    ("report", _("Report")),
    ("landscape-scan", _("Landscape scan")),
    ("brief", _("Brief")),
    ("article", _("Article")),
    ("dataset", _("Dataset")),
]
DATE_PRECISIONS = [
    ("day", "Day, month and year"),
    ("month", "Month and year"),
    ("year", "Year only"),
]
# The years a reader may filter by: anything else in ?year= is no filter at all.
YEARS = range(1990, 2200)

logger = logging.getLogger(__name__)


def authors_prefetch(queryset_model):
    """The authors of each page in a listing, with their people, in two queries in all."""
    return Prefetch(
        "authors",
        queryset=queryset_model.objects.select_related("person").order_by("sort_order"),
    )


def related_pages(page_class, chosen):
    """The live, public pages of a many-to-many choice, in the page explorer's order. Reads the
    choice in memory, so a preview shows what the editor has just ticked."""
    ids = [page.pk for page in chosen.all()]
    if not ids:
        return []
    return list(
        public_pages(page_class.objects.live().filter(pk__in=ids))
        .defer_streamfields()
        .order_by("path")
    )


def filter_address(base):
    """address(type=..., year=...) -> the listing's address with those filters (empty ones
    left out), for plain filter links that keep each other."""

    def address(**filters):
        query = urlencode({name: value for name, value in filters.items() if value})
        return f"{base}?{query}" if query else base

    return address


def chosen_filter(request, name, allowed):
    """A filter's value from the query string, if it is one of `allowed`; else None."""
    value = request.GET.get(name, "")
    return value if value in allowed else None


class PublicationQuerySet(PageQuerySet):
    def for_listing(self):
        """What a card needs, and only for readers' eyes: no StreamField loaded, authors in two
        queries for the whole page of results."""
        return (
            public_pages(self.live())
            .defer_streamfields()
            .select_related("full_text")
            .prefetch_related(authors_prefetch(PublicationAuthor))
            .order_by("-published_on", "-pk")
        )


class ResearchIndexPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """The organisation's publications, newest first, by type and by year."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening above the list of publications.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = ["pages.PublicationPage"]
    max_count = 1

    template = "pages/research_index_page.html"
    per_page = 10

    def publications(self):
        return PublicationPage.objects.for_listing().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the listing once per cache generation ({% fragment %}), and
        # its queries run only when it is worked out again.
        context.update(
            listing=SimpleLazyObject(lambda: self.listing(request)),
            listing_key=(
                self.pk,
                request.GET.get("type", ""),
                request.GET.get("year", ""),
                request.GET.get("page", ""),
            ),
        )
        return context

    def listing(self, request):
        context = {}
        kind = chosen_filter(request, "type", dict(PUBLICATION_TYPES))
        year = chosen_filter(request, "year", {str(y) for y in YEARS})
        publications = self.publications()
        if kind:
            publications = publications.filter(publication_type=kind)
        if year:
            publications = publications.filter(published_on__year=int(year))
        everything = public_pages(PublicationPage.objects.live().child_of(self))
        present = set(everything.values_list("publication_type", flat=True).distinct())
        years = [d.year for d in everything.dates("published_on", "year", "DESC")]
        address = filter_address(self.get_url(request))
        context.update(
            publications=Paginator(publications, self.per_page).get_page(request.GET.get("page")),
            type_links=[(pgettext("every publication type", "All"), address(year=year), not kind)]
            + [
                (label, address(type=value, year=year), value == kind)
                for value, label in PUBLICATION_TYPES
                if value in present
            ],
            year_links=[(pgettext("every year", "All"), address(type=kind), not year)]
            + [(str(y), address(type=kind, year=y), str(y) == year) for y in years],
            chosen_type=kind,
            chosen_type_label=dict(PUBLICATION_TYPES).get(kind),
            chosen_year=year,
            filters_query=urlencode({k: v for k, v in (("type", kind), ("year", year)) if v})
            + ("&" if kind or year else ""),
            people_url=people_index_url(request),
        )
        return context


class PublicationPage(
    PreviewedAsServed,
    OneQueryViewRestrictions,
    AuthoredMixin,
    RoutablePageMixin,
    HeroImageMixin,
    Page,
):
    """A report, landscape scan, brief, article or dataset: readable, downloadable, citable."""

    publication_type = models.CharField(
        "type",
        max_length=20,
        choices=PUBLICATION_TYPES,
        default="report",
        help_text="What kind of publication this is; readers can filter the list by it.",
    )
    # Null only in drafts: Wagtail requires it to publish, and lets a half-written draft be saved
    # and previewed without it.
    published_on = models.DateField(
        "publication date",
        null=True,
        help_text="The date it was published, as it should be cited. The list shows the newest "
        "first.",
    )
    published_precision = models.CharField(
        "date known to",
        max_length=10,
        choices=DATE_PRECISIONS,
        default="day",
        help_text="How much of the date to show and cite: choose 'Year only' when only the year "
        "is known (the day and month above are then ignored).",
    )
    abstract = models.TextField(
        max_length=3000,
        help_text="What the publication found or argues, in a paragraph or two. Shown at the top "
        "of the page, in search results and to scholarly indexes.",
    )
    body = StreamField(
        BodyBlock(),
        blank=True,
        help_text="Optional. More about the publication: key findings, methods, a summary.",
    )
    full_text = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The full text to download, ideally a PDF. The page shows its format and size.",
    )
    doi = DOIField(
        "DOI",
        blank=True,
        help_text="Optional. Its Digital Object Identifier, e.g. 10.5281/zenodo.1234567 (a full "
        "https://doi.org/ address is fine too). Leave empty if it has none: never invent one.",
    )
    repository_url = WebURLField(
        "repository link",
        blank=True,
        help_text="Optional. Where else it is kept, e.g. its Zenodo record, starting with "
        "https://.",
    )
    other_identifier = models.CharField(
        max_length=120,
        blank=True,
        help_text="Optional. Another identifier it is known by, e.g. an ISBN or report number.",
    )
    licence = models.CharField(
        max_length=30,
        choices=LICENCE_CHOICES,
        default="cc-by-4.0",
        help_text="The terms others may reuse it under. IOI publishes under CC BY 4.0.",
    )
    related_initiatives = ParentalManyToManyField(
        "pages.InitiativePage",
        blank=True,
        related_name="publications",
        help_text="Optional. The initiatives this publication comes from or informs.",
    )

    content_panels = [
        LinkProblemsPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("publication_type"),
                FieldRowPanel([FieldPanel("published_on"), FieldPanel("published_precision")]),
            ],
            heading="Type and date",
        ),
        InlinePanel(
            "authors",
            heading="Authors",
            label="Author",
            max_num=50,
            help_text="In the order they are cited: people from Snippets → People, or an "
            "organisation as corporate author.",
        ),
        FieldPanel("abstract"),
        FieldPanel("full_text"),
        MultiFieldPanel(
            [
                FieldPanel("doi"),
                FieldPanel("repository_url"),
                FieldPanel("other_identifier"),
                FieldPanel("licence"),
            ],
            heading="Identifiers and licence",
        ),
        FieldPanel("body"),
        FieldPanel("related_initiatives", widget=forms.CheckboxSelectMultiple),
        *HeroImageMixin.hero_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("abstract"),
        index.SearchField("body"),
        index.SearchField("other_identifier"),
        index.RelatedFields(
            "authors",
            [
                index.SearchField("organisation"),
                index.RelatedFields(
                    "person", [index.SearchField("given_names"), index.SearchField("family_name")]
                ),
            ],
        ),
        index.FilterField("publication_type"),
        index.FilterField("published_on"),
    ]
    # Not the related initiatives (they could name a draft) nor the full text's document (its
    # address is in the documents endpoint when it is public).
    api_fields = [
        APIField("publication_type"),
        APIField("published_on"),
        APIField("published_precision"),
        APIField("authors"),
        APIField("abstract"),
        APIField("doi"),
        APIField("repository_url", serializer=SafeURLAPIField()),
        APIField("other_identifier"),
        APIField("licence"),
        APIField("licence_url", serializer=SafeURLAPIField()),
        *HeroImageMixin.api_hero_fields,
        APIField("body"),
    ]

    parent_page_types = ["pages.ResearchIndexPage"]
    subpage_types = []

    template = "pages/publication_page.html"
    objects = PageManager.from_queryset(PublicationQuerySet)()

    class Meta:
        verbose_name = "publication"

    # Stored values their validators would refuse (written by code) are read as the nearest
    # sensible value, or left out, with a warning: the page still renders.

    def _stored_choice(self, name, choices, fallback):
        value = getattr(self, name)
        if value in dict(choices):
            return value
        logger.warning(
            "Publication %s: its %s %r is not one of the choices; %r is used instead.",
            self.pk,
            name,
            value,
            fallback,
        )
        return fallback

    @cached_property
    def precision(self):
        """How much of the date is known: 'day', 'month' or 'year'."""
        return self._stored_choice("published_precision", DATE_PRECISIONS, "day")

    @cached_property
    def kind(self):
        """The publication type, one of PUBLICATION_TYPES."""
        return self._stored_choice("publication_type", PUBLICATION_TYPES, "report")

    @cached_property
    def licence_terms(self):
        """The licence's name and address, or None for a licence that is not one of the
        choices (its code is shown, with no link)."""
        self._stored_choice("licence", LICENCE_CHOICES, None)
        return LICENCES.get(self.licence)

    @cached_property
    def valid_doi(self):
        """The DOI, or "" for none or one its validator would refuse (left out, with a
        warning)."""
        if not self.doi:
            return ""
        try:
            validate_doi(self.doi)
        except ValidationError:
            logger.warning(
                "Publication %s: its DOI %r is not a DOI; it is left out.", self.pk, self.doi
            )
            return ""
        return self.doi

    # What readers see

    @property
    def published_display(self):
        """The date as far as it is known, in the reader's language: e.g. '2 May 2024', 'May
        2024' or '2024' (ioisite/formats/)."""
        if self.published_on is None:
            return ""
        formats = {"day": "DATE_FORMAT", "month": "YEAR_MONTH_FORMAT", "year": "Y"}
        return date_format(self.published_on, formats[self.precision])

    @property
    def date_parts(self):
        """(year,), (year, month) or (year, month, day); () in a draft with no date yet."""
        if self.published_on is None:
            return ()
        parts = (self.published_on.year, self.published_on.month, self.published_on.day)
        return parts[: {"year": 1, "month": 2, "day": 3}[self.precision]]

    @property
    def iso_date(self):
        """YYYY, YYYY-MM or YYYY-MM-DD, as schema.org and HTML's <time> take it."""
        return "-".join(f"{part:02d}" for part in self.date_parts)

    @property
    def doi_url(self):
        return f"https://doi.org/{self.valid_doi}" if self.valid_doi else ""

    @property
    def licence_label(self):
        return self.licence_terms.label if self.licence_terms else self.licence

    @property
    def licence_url(self):
        return self.licence_terms.url if self.licence_terms else ""

    @cached_property
    def full_text_description(self):
        """e.g. 'PDF, 2.4 MB': what a reader is about to download."""
        document = self.full_text
        if document is None:
            return ""
        size = document.get_file_size()
        kind = (document.file_extension or "file").upper()
        return f"{kind}, {filesizeformat(size)}" if size else kind

    @property
    def full_text_is_pdf(self):
        return self.full_text is not None and self.full_text.file_extension.lower() == "pdf"

    # Citing it

    def citation_item(self, request=None):
        """The publication as one CSL-JSON item, which every citation format is made from."""
        org = OrganisationSettings.load(request_or_site=request)
        return citations.csl_item(
            key=self.slug,
            kind=self.kind,
            title=self.title,
            authors=[author.csl_name() for author in self.ordered_authors()],
            issued=self.date_parts,
            publisher=org.organisation_name,
            doi=self.valid_doi,
            url=self.get_full_url(request),
            abstract=self.abstract,
            genre=self.get_publication_type_display(),
            licence_url=self.licence_url,
        )

    @path("")
    def publication(self, request):
        return self.render(request)

    # In the reader's language, like the page's own slug: …/cite/bibtex/, /es/…/citar/bibtex/.
    @path(
        pgettext_lazy("address of a publication's citation downloads", "cite/<str:name>/"),
        name="citation_download",
    )
    def citation_download(self, request, name):
        if name not in citations.DOWNLOADS:
            raise Http404("No such citation format.")
        _label, extension, content_type = citations.DOWNLOADS[name]
        # Kept once per cache generation, as the page keeps its APA citation: its authors'
        # query and the formatting (BibTeX's LaTeX escapes) were most of the answer's time.
        text = kept_per_generation(
            request,
            f"citation:{self.pk}:{name}:{active_language()}",
            lambda: citations.download(self.citation_item(request), name),
        )
        response = HttpResponse(text, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.{extension}"'
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template keeps the page's content once per cache generation
        # ({% fragment %}), and these queries run only when it is worked out again. The APA
        # citation is {% apa_citation %} (templatetags/scholarly_tags.py).
        context["detail"] = SimpleLazyObject(lambda: self.detail(request))
        return context

    def detail(self, request):
        here = self.get_url(request) or ""  # none yet in a new page's preview
        return {
            "authors": self.ordered_authors(),
            "citation_downloads": [
                (label, extension, here + self.reverse_subpage("citation_download", args=[name]))
                for name, (label, extension, _type) in citations.DOWNLOADS.items()
            ],
            "people_url": people_index_url(request),
            "related_initiatives": related_pages(InitiativePage, self.related_initiatives),
        }


class PublicationAuthor(Orderable, Authorship):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
