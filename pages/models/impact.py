import json
import logging

from django.db import models
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.blocks import BodyBlock, DatasetsBlock
from pages.fields import RichTextField, SafeURLAPIField, StreamField, WebURLField
from pages.links.panels import LinkProblemsPanel
from pages.translation.locales import TranslatableSnippetMixin

from .base import (
    HOME_PAGE,
    INTRODUCTION_FEATURES,
    OneQueryViewRestrictions,
    PreviewedAsServed,
    kept_per_generation,
)

logger = logging.getLogger(__name__)


class ImpactHighlight(TranslatableSnippetMixin, Orderable):
    """A key result on the impact page, translated with its page (wagtail-localize translates a
    page's inline objects when they are translatable)."""

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
    api_fields = [
        "figure",
        "label",
        "description",
        APIField("source_url", serializer=SafeURLAPIField()),
        "source_title",
    ]
    translatable_fields = [
        TranslatableField("figure"),
        TranslatableField("label"),
        TranslatableField("description"),
        SynchronizedField("source_url", overridable=True),
        TranslatableField("source_title"),
    ]

    class Meta(TranslatableSnippetMixin.Meta, Orderable.Meta):
        pass

    def __str__(self):
        return f"{self.figure} {self.label}"

    def fill_locale(self):
        # In its page's language; a highlight made in code before its page has one, in English.
        if self.locale_id is None and self.page_id is not None:
            self.locale_id = self.page.locale_id
        super().fill_locale()


class ImpactPage(PreviewedAsServed, OneQueryViewRestrictions, RoutablePageMixin, Page):
    """What the organisation's work has changed, led by a few highlights, then its figures as
    charts, each also published as open data under data/ (CSV, JSON, a data package)."""

    introduction = RichTextField(
        features=INTRODUCTION_FEATURES,
        blank=True,
        help_text="A short opening on the difference the work makes.",
    )
    datasets = StreamField(
        DatasetsBlock(),
        blank=True,
        help_text="Figures shown as charts after the highlights, each with its table, and "
        "listed under 'Open data' as CSV and JSON files anyone may reuse.",
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
        FieldPanel("datasets", heading="Datasets"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("datasets"),
        index.SearchField("body"),
    ]
    api_fields = [
        APIField("introduction"),
        APIField("highlights"),
        APIField("datasets"),
        APIField("data_files"),
        APIField("body"),
    ]

    parent_page_types = [HOME_PAGE]
    subpage_types = []
    max_count = 1

    template = "pages/impact_page.html"

    DATA_PACKAGE = "datapackage.json"

    def dataset_values(self):
        return [child.value for child in self.datasets if child.block_type == "dataset"]

    def dataset(self, slug):
        for value in self.dataset_values():
            if value["slug"] == slug:
                return value
        raise Http404("No such dataset.")

    def data_path(self, filename):
        """The file's address below the page, or None when there is none: a dataset whose slug
        was written by code with characters its validator refuses has no file, and its links
        are left out (with a warning) rather than the page failing."""
        try:
            # Wagtail's routes end in a slash; a file's address does not (ioisite/urls.py).
            return self.reverse_subpage("data", kwargs={"filename": filename}).rstrip("/")
        except NoReverseMatch:
            logger.warning(
                "Impact page %s: the data file %r has no address (a dataset slug its validator "
                "would refuse); its links are left out.",
                self.pk,
                filename,
            )
            return None

    def data_url(self, filename):
        # Relative when Wagtail cannot name the page's address (its site's root paths are being
        # rebuilt): on the page itself, "data/<file>" still resolves to the same file.
        path = self.data_path(filename)
        return None if path is None else (self.url or "") + path

    @property
    def data_package_url(self):
        return self.data_url(self.DATA_PACKAGE)

    def open_data(self):
        """Each dataset with the addresses of its files, for the "Open data" section."""
        files = []
        for value in self.dataset_values():
            csv = self.data_url(f"{value['slug']}.csv")
            if csv is not None:
                files.append(
                    {"dataset": value, "csv": csv, "json": self.data_url(f"{value['slug']}.json")}
                )
        return files

    @property
    def data_files(self):
        """The files' full addresses, for the API: each dataset's, then the data package."""
        base = self.full_url or ""
        files = [
            {
                "slug": value["slug"],
                "title": value["title"],
                "csv": base + csv,
                "json": base + self.data_path(f"{value['slug']}.json"),
            }
            for value in self.dataset_values()
            if (csv := self.data_path(f"{value['slug']}.csv")) is not None
        ]
        package = base + self.data_path(self.DATA_PACKAGE) if files else None
        return {"datasets": files, "data_package": package}

    def get_cached_paths(self):
        # A CDN purge (pages/caching/tasks.py) must drop the files along with the page.
        names = [self.DATA_PACKAGE] + [
            f"{value['slug']}.{extension}"
            for value in self.dataset_values()
            for extension in ("csv", "json")
        ]
        return ["/"] + ["/" + path for name in names if (path := self.data_path(name))]

    @re_path(r"^data/(?P<filename>[a-z0-9-]{1,60}\.(?:csv|json))/$", name="data")
    def data(self, request, filename):
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        # Each file is kept once per cache generation, as the page keeps its charts: reading
        # the datasets (their sources' library links and pages) was most of a file's time. Its
        # addresses are absolute, so the scheme is part of the name (the host is already).
        text = kept_per_generation(
            request,
            f"data:{self.pk}:{filename}:{request.scheme}",
            lambda: self.data_file(request, filename),
        )
        if filename.endswith(".json"):
            return HttpResponse(text, content_type="application/json")
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def data_file(self, request, filename):
        """The text of one of the page's data files; Http404 for one it does not have."""
        absolute = request.build_absolute_uri
        if filename == self.DATA_PACKAGE:
            return self.data_package(request)
        slug, _, extension = filename.rpartition(".")
        if extension == "csv":
            return self.dataset(slug).as_csv(absolute)
        return self.dataset(slug).as_json(absolute)

    def data_package(self, request):
        """One Frictionless data package (https://specs.frictionlessdata.io/data-package/)
        describing every dataset, so that tools load them all in one go."""
        values = self.dataset_values()
        if not values:
            raise Http404("This page has no datasets yet.")
        absolute = request.build_absolute_uri
        package = {
            "name": f"{self.slug}-datasets",
            "title": self.title,
            "homepage": absolute(self.url),
            "licenses": [
                {"name": lic["code"], "title": lic["name"], "path": lic["url"]}
                for lic in {v.licence_details["code"]: v.licence_details for v in values}.values()
            ],
            "resources": [value.resource(absolute) for value in values],
        }
        if self.last_published_at:
            package["created"] = self.last_published_at.isoformat()
        return json.dumps(package, ensure_ascii=False, indent=2)
