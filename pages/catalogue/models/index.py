"""The catalogue's index at /catalogue/ (Spanish /es/catalogo/): the list with its search,
filters and sort; compare; the funding-needs view; the downloads. Each is a plain GET address
that holds its state."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Max
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page
from wagtail.search import index

from pages.models.base import HOME_PAGE, OneQueryViewRestrictions, PreviewedAsServed
from pages.translation.locales import active_language

from .. import exports, sections
from ..finder import COMPARE_MAX_PARAMS, FUNDING_FACETS, PER_PAGE, Finder, compare_choice
from .entries import CatalogueEntryPage, entry_urls, prefetched, with_relations

# The views' addresses in other languages than English (the index's own slug is the editor's).
SUB_PATHS = {
    "es": {
        "compare": "comparar",
        "funding-needs": "necesidades-de-financiacion",
        "suggest": "sugerir",
        "suggest/thanks": "sugerir/gracias",
    }
}


class CatalogueIndexPage(RoutablePageMixin, PreviewedAsServed, OneQueryViewRestrictions, Page):
    """The catalogue: its entries found, filtered, compared and downloaded."""

    introduction = models.TextField(
        blank=True,
        max_length=1000,
        help_text="A short opening above the list: what the catalogue is and who it is for.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = [HOME_PAGE]
    subpage_types = ["catalogue.CatalogueEntryPage"]
    max_count_per_parent = 1

    template = "catalogue/catalogue_index_page.html"

    class Meta:
        verbose_name = "catalogue"

    def entries(self):
        return CatalogueEntryPage.objects.for_listing().child_of(self)

    def version(self):
        """The data set's version: the date of its last change."""
        last = self.entries().aggregate(last=Max("last_published_at"))["last"]
        return last.date().isoformat() if last else "unpublished"

    def sub_path(self, name):
        """A view's address under the index, worded in the reader's language ("compare/",
        Spanish "comparar/"); every wording answers in every language."""
        words = SUB_PATHS.get(active_language(), {})
        return f"{self.url}{words.get(name, name)}/"

    def common_context(self, request):
        return {
            "compare_url": self.sub_path("compare"),
            "funding_url": self.sub_path("funding-needs"),
            "suggest_url": self.sub_path("suggest"),
        }

    @path("")
    def listing(self, request):
        return self.render(
            request,
            context_overrides={
                **self.common_context(request),
                # Lazy: the template keeps the listing once per cache generation for each
                # address ({% fragment %}; a search, free text, is never kept), and its
                # queries run only when it is worked out again.
                "listing": SimpleLazyObject(lambda: self.found(request)),
                "listing_key": None if request.GET.get("q") else listing_key(self, request),
            },
        )

    def found(self, request):
        finder = Finder(self, request)
        results = Paginator(finder.results(), PER_PAGE).get_page(request.GET.get("page"))
        with_urls(results, request)
        return {
            "finder": finder,
            "results": results,
            "facets": finder.facet_links(),
            "filters_query": finder.filters_query(),
            "compare_address": self.sub_path("compare")
            + "?"
            + urlencode([("e", slug) for slug in finder.compare]),
        }

    @path("compare/")
    @path("comparar/", name="compare-es")
    def compare(self, request):
        if len(request.GET.getlist("e")) > COMPARE_MAX_PARAMS:
            return HttpResponseBadRequest(_("Too many entries to compare."))
        return self.render(
            request,
            template="catalogue/compare.html",
            context_overrides={
                **self.common_context(request),
                # Lazy, and kept once per cache generation by the template ({% fragment %}).
                "comparison": SimpleLazyObject(lambda: self.comparison(request)),
                "listing_key": listing_key(self, request),
            },
        )

    def comparison(self, request):
        entries, messages, _too_many = compare_choice(self, request)
        urls = entry_urls(
            [
                e
                for entry in entries
                for e in (entry, *entry.integrations.all(), *entry.relied_on_by.all())
            ],
            request,
        )
        with_urls(entries, request)
        tables = []
        for section in sections.SECTIONS:
            rows = []
            for column in section.columns:
                if not column.shown:
                    continue
                cells = [sections.display(entry, column, urls) for entry in entries]
                texts = {repr(cell) for cell in cells}
                rows.append({"column": column, "cells": cells, "differ": len(texts) > 1})
            if section.confirmed_field:
                dates = [sections.confirmed(entry, section) for entry in entries]
                rows.append(
                    {
                        "label": _("Last confirmed"),
                        "cells": [{"text": d.isoformat()} if d else None for d in dates],
                        "differ": len(set(dates)) > 1,
                    }
                )
            tables.append({"section": section, "rows": rows})
        query = urlencode([("e", entry.slug) for entry in entries])
        return {
            "entries": entries,
            "tables": tables,
            "messages_shown": messages,
            "csv_url": f"{self.url}compare.csv?{query}",
        }

    @path("compare.csv/")
    def compare_download(self, request):
        entries, _messages, too_many = compare_choice(self, request)
        if too_many:
            return HttpResponseBadRequest(_("Too many entries to compare."))
        return download(exports.compare_csv(entries), "text/csv", "compare.csv")

    @path("funding-needs/")
    @path("necesidades-de-financiacion/", name="funding-needs-es")
    def funding_needs(self, request):
        finder = Finder(self, request, facets=FUNDING_FACETS, base=self.sub_path("funding-needs"))
        finder.found = finder.found.exclude(funding_needs="")
        results = Paginator(finder.results(), PER_PAGE).get_page(request.GET.get("page"))
        with_urls(results, request)
        return self.render(
            request,
            template="catalogue/funding_needs.html",
            context_overrides={
                **self.common_context(request),
                "finder": finder,
                "results": results,
                "facets": finder.facet_links(),
                "filters_query": finder.filters_query(),
            },
        )

    # The routes whose posts are suggestions. They are received by pages/catalogue/views.py:
    # receive_suggestion, through the `on_serve_page` hook in pages/wagtail_hooks.py, as the
    # contact form's are: a page type imports no form or view, and both forms' posts pass the
    # same checks on the way in.
    SUGGEST_ROUTES = ("suggest", "suggest-es")

    @path("suggest/", name="suggest")
    @path("sugerir/", name="suggest-es")
    def suggest(self, request):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.suggestion_page(request)

    def suggestion_page(self, request, form=None, held_back=None):
        """The suggestion form: blank (`{% suggestion_form %}` makes it), or posted with its
        errors, or held back with the reason (`held_back`). Never from a cache: it carries a
        timed token and the protection against posts from other sites."""
        response = self.render(
            request,
            template="catalogue/suggest.html",
            context_overrides={
                **self.common_context(request),
                "form": form,
                "held_back": held_back,
            },
        )
        add_never_cache_headers(response)
        return response

    @path("suggest/thanks/", name="suggest-thanks")
    @path("sugerir/gracias/", name="suggest-thanks-es")
    def suggest_thanks(self, request):
        return self.render(
            request,
            template="catalogue/suggest_thanks.html",
            context_overrides=self.common_context(request),
        )

    def all_entries(self):
        return prefetched(self.entries().order_by("title"))

    def absolute_url(self, request):
        return self.get_full_url(request)

    @path(exports.CSV_NAME + "/")
    def csv_download(self, request):
        return download(exports.to_csv(self.all_entries()), "text/csv", exports.CSV_NAME)

    @path(exports.JSON_NAME + "/")
    def json_download(self, request):
        data = exports.to_json(self.all_entries(), self.version(), self.absolute_url(request))
        return download(exports.dumps(data), "application/json", exports.JSON_NAME)

    @path("datapackage.json/")
    def datapackage_download(self, request):
        data = exports.datapackage(self.version(), self.absolute_url(request))
        return download(exports.dumps(data), "application/json", "datapackage.json")

    @re_path(r"^(?P<slug>[-\w]+)\.json/$")
    def entry_download(self, request, slug):
        entry = self.entries().filter(slug=slug).first()
        if entry is None:
            raise Http404
        return JsonResponse(
            exports.record(with_relations(entry)), json_dumps_params={"ensure_ascii": False}
        )


def download(text, content_type, filename):
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def listing_key(index, request):
    """What a listing or comparison shows besides the catalogue's data: its address's query."""
    return (index.pk, request.path, sorted(request.GET.lists()))


def with_urls(entries, request):
    for entry in entries:
        entry.public_url = entry.get_url(request)
