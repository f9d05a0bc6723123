"""A small catalogue for the tests that need one: a few terms per vocabulary, an index under a
home page and as many entries as asked, made the way the seed makes them (live, relations
written in bulk), so that 200 entries cost well under a second."""

from datetime import date, timedelta
from types import SimpleNamespace

from django.utils import timezone
from wagtail.models import Locale

from conftest import add_page
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, EntryPolicy, Term

TERMS = {
    "category": ["repository-service", "publishing-system", "pid-service"],
    "legal-form": ["non-profit", "university-hosted"],
    "hosting": ["provider-only", "either"],
    "maintenance": ["active", "minimal"],
    "licence": ["mit", "gpl-3-0", "cc0-1-0"],
    "standard": ["oai-pmh", "doi"],
    "framework": ["posi", "fair"],
    "region": ["global", "latin-america"],
    "discipline": ["generalist"],
    "language": ["en", "es"],
}


def make_terms(locale=None):
    locale = locale or Locale.get_default()
    terms = [
        Term(
            vocabulary=vocabulary,
            slug=slug,
            name=slug.replace("-", " ").title(),
            locale=locale,
        )
        for vocabulary, slugs in TERMS.items()
        for slug in slugs
    ]
    Term.objects.bulk_create(terms)
    return {(term.vocabulary, term.slug): term for term in terms}


def add_entries(index, terms, count, start=1, **fields):
    """`count` live entries: entry-1 ... each with a category, legal form and licence that cycle
    through the terms, so that filters split them."""
    categories = [terms["category", slug] for slug in TERMS["category"]]
    legal_forms = [terms["legal-form", slug] for slug in TERMS["legal-form"]]
    licences = [terms["licence", slug] for slug in TERMS["licence"]]
    now = timezone.now()
    made = []
    for n in range(start, start + count):
        entry = CatalogueEntryPage(
            title=f"Entry {n}",
            slug=f"entry-{n}",
            provider=f"Provider {n % 7}",
            summary=f"What entry {n} does.",
            legal_form=legal_forms[n % len(legal_forms)],
            founded=1990 + n % 30,
            technical_confirmed=date(2025, 1, 1) + timedelta(days=n),
            live=True,
            first_published_at=now,
            last_published_at=now,
            **fields,
        )
        index.add_child(instance=entry)
        made.append(entry)
    through = CatalogueEntryPage.categories.through
    through.objects.bulk_create(
        through(catalogueentrypage_id=entry.pk, term_id=categories[n % len(categories)].pk)
        for n, entry in enumerate(made, start)
    )
    through = CatalogueEntryPage.code_licences.through
    through.objects.bulk_create(
        through(catalogueentrypage_id=entry.pk, term_id=licences[n % len(licences)].pk)
        for n, entry in enumerate(made, start)
    )
    EntryPolicy.objects.bulk_create(
        EntryPolicy(page=entry, policy="open-data", status="available", sort_order=0)
        for n, entry in enumerate(made, start)
        if n % 2
    )
    return made


def build_catalogue(home, count=6):
    terms = make_terms()
    index = add_page(
        home, CatalogueIndexPage, title="Catalogue", slug="catalogue", show_in_menus=True
    )
    entries = add_entries(index, terms, count)
    return SimpleNamespace(index=index, terms=terms, entries=entries)
