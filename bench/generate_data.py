"""Data at scale for the page benchmark: the seeded site plus N initiatives, M library links,
and P publications and P news posts.

    DJANGO_SETTINGS_MODULE=... DATABASE_URL=... \
        python bench/generate_data.py [initiatives] [links] [publications and posts]

Idempotent: what already exists is counted, not made again."""

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(initiatives=1000, links=5000, items=1000):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from pages.links.models import Link, LinkCategory
    from pages.models import (
        InitiativeIndexPage,
        InitiativePage,
        NewsAuthor,
        NewsIndexPage,
        NewsPage,
        PublicationAuthor,
        PublicationPage,
        ResearchIndexPage,
    )
    from pages.people.models import Person

    call_command("load_ioi_content", verbosity=0)
    # The data at scale is English; the seed's Spanish pages are left as they are.
    english = Locale.get_default()
    index = InitiativeIndexPage.objects.get(locale=english)
    have = InitiativePage.objects.filter(locale=english).count()
    start = timezone.now() - timedelta(days=400)
    with transaction.atomic():
        for n in range(have, initiatives):
            page = InitiativePage(
                title=f"Bench initiative {n}",
                slug=f"bench-initiative-{n}",
                summary=f"What bench initiative {n} does, in a sentence or two.",
                status="active",
                body=[{"type": "paragraph", "value": f"<p>The story of initiative {n}.</p>"}],
                first_published_at=start + timedelta(hours=n),
            )
            index.add_child(instance=page)
            index.refresh_from_db()
    categories = list(LinkCategory.objects.filter(locale=english))
    have = Link.objects.filter(locale=english).count()
    # bulk_create skips save(), which gives a row made in code the default language.
    Link.objects.bulk_create(
        Link(
            locale=english,
            title=f"Bench resource {n}",
            url=f"https://example.org/resource/{n}",
            description=f"A useful resource, number {n}.",
            category=categories[n % len(categories)] if categories else None,
        )
        for n in range(have, links)
    )
    research = ResearchIndexPage.objects.get(locale=english)
    news = NewsIndexPage.objects.get(locale=english)
    kinds = ["report", "landscape-scan", "brief", "article", "dataset"]
    organisation = "Invest in Open Infrastructure"
    # One person credited on every publication and post: their profile lists them all.
    author, _ = Person.objects.get_or_create(
        slug="bench-author", defaults={"given_names": "Ada", "family_name": "Bench"}
    )
    with transaction.atomic():
        for n in range(PublicationPage.objects.filter(locale=english).count(), items):
            research.add_child(
                instance=PublicationPage(
                    title=f"Bench publication {n}",
                    slug=f"bench-publication-{n}",
                    publication_type=kinds[n % len(kinds)],
                    published_on=(start + timedelta(days=n)).date(),
                    abstract=f"What bench publication {n} found, in a paragraph.",
                    authors=[
                        PublicationAuthor(
                            organisation="Invest in Open Infrastructure", sort_order=0
                        ),
                        PublicationAuthor(person=author, sort_order=1),
                    ],
                )
            )
            research.refresh_from_db()
        for n in range(NewsPage.objects.filter(locale=english).count(), items):
            post = NewsPage(
                title=f"Bench post {n}",
                slug=f"bench-post-{n}",
                published_on=(start + timedelta(days=n)).date(),
                summary=f"The news of bench post {n}.",
                body=[{"type": "paragraph", "value": f"<p>The story of post {n}.</p>"}],
                authors=[
                    NewsAuthor(organisation=organisation, sort_order=0),
                    NewsAuthor(person=author, sort_order=1),
                ],
            )
            post.tags.add("funding" if n % 2 else "research")
            news.add_child(instance=post)
            news.refresh_from_db()
    catalogue_entries(items)
    print(
        f"{InitiativePage.objects.count()} initiatives, {Link.objects.count()} links, "
        f"{PublicationPage.objects.count()} publications, {NewsPage.objects.count()} posts"
    )


def catalogue_entries(count):
    """The seeded catalogue grown to `count` English entries, each with a category, a licence,
    a legal form and a policy drawn in turn from the seeded vocabularies, and relying on one of
    the seeded entries (so that "relied on by" and compare have something to count)."""
    from django.db import transaction
    from wagtail.models import Locale

    from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, EntryPolicy, Term

    english = Locale.get_default()
    index = CatalogueIndexPage.objects.get(locale=english)
    have = CatalogueEntryPage.objects.filter(locale=english).count()
    terms = {}
    for term in Term.objects.filter(locale=english):
        terms.setdefault(term.vocabulary, []).append(term)
    seeded = list(CatalogueEntryPage.objects.filter(locale=english).order_by("pk")[:10])
    made = []
    with transaction.atomic():
        for n in range(have, count):
            entry = CatalogueEntryPage(
                title=f"Bench entry {n}",
                slug=f"bench-entry-{n}",
                provider=f"Bench provider {n % 50}",
                summary=f"What bench entry {n} does, in a sentence.",
                legal_form=terms["legal-form"][n % len(terms["legal-form"])],
            )
            index.add_child(instance=entry)
            index.refresh_from_db()
            made.append((n, entry))
        for name, vocabulary in (("categories", "category"), ("code_licences", "licence")):
            through = CatalogueEntryPage._meta.get_field(name).remote_field.through
            choices = terms[vocabulary]
            through.objects.bulk_create(
                through(catalogueentrypage_id=entry.pk, term_id=choices[n % len(choices)].pk)
                for n, entry in made
            )
        through = CatalogueEntryPage.integrations.through
        through.objects.bulk_create(
            through(
                from_catalogueentrypage_id=entry.pk,
                to_catalogueentrypage_id=seeded[n % len(seeded)].pk,
            )
            for n, entry in made
        )
        EntryPolicy.objects.bulk_create(
            EntryPolicy(page=entry, policy="open-data", status="available") for n, entry in made
        )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ioisite.settings.dev")
    main(*(int(a) for a in sys.argv[1:4]))
