"""Build the IOI site from the seeded copy in home/seed_content.py, and its Spanish version from
home/seed/es.po (home/seed_translations.py).

Only creates what is missing: a page that exists (found by its slug under its parent), a Spanish
version that exists and settings an editor has filled in are never touched, so a second run
changes nothing.
"""

from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import StreamField
from wagtail.models import Collection, Locale, Page, PageLogEntry, Site
from wagtail.search import index
from wagtail.search.signal_handlers import post_save_signal_handler as index_on_save
from wagtail.signal_handlers import disable_reference_index_auto_update

from home import seed_catalogue
from home import seed_content as content
from home.models import FeaturedInitiative, HomePage
from home.seed_translations import SpanishSeed, spanish_locale
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, Term
from pages.contacts.models import Contact, ContactPurpose
from pages.discovery.redirects import OLD_SITE_REDIRECTS, read_rows, redirect_to_pages
from pages.discovery.site_address import configured_host_and_port, sync_default_site
from pages.editorial.roles import sync_roles
from pages.links.models import Link, LinkCategory
from pages.models import (
    ContactPage,
    ImpactHighlight,
    ImpactPage,
    InitiativeIndexPage,
    InitiativePage,
    NewsIndexPage,
    NewsPage,
    OrganisationSettings,
    OrganisationWording,
    PeopleIndexPage,
    PublicationPage,
    ResearchIndexPage,
    ResourcesPage,
    StandardPage,
)

# The page Wagtail's first migration creates, replaced by the home page on a fresh site.
WAGTAIL_PLACEHOLDER_TITLE = "Welcome to your new Wagtail site!"
# Plain fields a page spec may give, besides its title, slug and search description.
PAGE_FIELDS = [
    "summary",
    "status",
    "introduction",
    "abstract",
    "publication_type",
    "published_precision",
]
SETTINGS_FIELDS = [
    "organisation_name",
    "contact_email",
    "website_url",
    "postal_address",
    "newsletter_url",
]


class Command(BaseCommand):
    help = (
        "Create the IOI site's pages and settings from the seeded copy. Creates only what is "
        "missing and never changes what exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the site already has a home page (what `make run` uses, so "
            "pages an editor deleted are not brought back).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and HomePage.objects.exists():
            self.stdout.write("The site already has content: nothing loaded.")
            return
        with transaction.atomic(), indexing_deferred():
            seeder = Seeder()
            seeder.run()
        moved = sync_default_site()
        if moved:
            self.stdout.write(moved)
        if seeder.created:
            # Both indexes once, for everything, rather than once per save (a page is saved
            # three or four times as it is made, published and translated). A fresh site is
            # searchable, and its "used by" lists complete, at once; in production Wagtail
            # leaves these updates to the task worker.
            call_command("update_index", verbosity=0)
            call_command("rebuild_references_index", verbosity=0)
        for warning in seeder.warnings:
            self.stderr.write(warning)
        if seeder.created:
            self.stdout.write(
                self.style.SUCCESS(f"Created {len(seeder.created)}: " + ", ".join(seeder.created))
            )
        else:
            self.stdout.write("Everything was already there: nothing changed.")


@contextmanager
def indexing_deferred():
    """No search-index or reference-index update on each save while the seed runs: `handle`
    rebuilds both when it is done. Wagtail's switch for the reference index holds for this thread
    only; the search index's handler is disconnected for the whole process, as no switch exists,
    and connected again afterwards (a management command, or a test, is the only thing running)."""
    disconnected = [
        model
        for model in index.get_indexed_models()
        if post_save.disconnect(index_on_save, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(index_on_save, sender=model)


def bind_streams(obj):
    """Give every list item in the object's StreamFields its id, as the admin does. The seed
    writes lists as plain values, which Wagtail stores as they are, and wagtail-localize
    translates no list item without an id (a statistic's label, a link in a list)."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, StreamField):
            for _block in getattr(obj, field.attname):
                pass  # reading a block binds it, and a bound block is saved with ids


class Seeder:
    def __init__(self):
        self.created = []  # what this run made, for the summary
        self.warnings = []
        self.pages_by_slug = {}
        self._new_pages = []  # (page, spec) whose streams are filled once every page exists
        self.library = {}  # external address -> Link

    def run(self):
        home = self.home_page()
        index = self.child(home, InitiativeIndexPage, content.INITIATIVE_INDEX, in_menu=True)
        for spec in content.INITIATIVES:
            self.child(index, InitiativePage, spec)
        self.child(home, ImpactPage, content.IMPACT, in_menu=True)
        self.child(home, ContactPage, content.CONTACT, in_menu=True)
        self.child(home, StandardPage, content.ABOUT, in_menu=True)
        self.child(home, StandardPage, content.ACCESSIBILITY)
        self.child(home, StandardPage, content.PRIVACY)
        self.child(home, ResourcesPage, content.RESOURCES, in_menu=True)
        research = self.child(home, ResearchIndexPage, content.RESEARCH_INDEX, in_menu=True)
        for spec in content.PUBLICATIONS:
            self.child(research, PublicationPage, spec)
        news = self.child(home, NewsIndexPage, content.NEWS_INDEX, in_menu=True)
        for spec in content.NEWS_POSTS:
            self.child(news, NewsPage, spec)
        self.child(home, PeopleIndexPage, content.PEOPLE_INDEX)
        self.library = self.links()
        for page, spec in self._new_pages:
            self.fill_and_publish(page, spec)
        contacts = self.contacts()
        self.organisation_settings(primary_contact=contacts[0] if contacts else None)
        self.organisation_wording()
        self.spanish(home)
        self.catalogue(home)
        # The roles come from a migration, and uploads go to the root collection, which
        # Wagtail's migrations make; a flushed database (the browser tests) lost both. Without
        # the collection, editors could upload nothing and the roles would grant nothing on it.
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")
        sync_roles()
        self.old_site_redirects()

    def old_site_redirects(self):
        """The old site's addresses (docs/old-site-redirects.csv), where none is set yet."""
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        made, problems = redirect_to_pages(read_rows(OLD_SITE_REDIRECTS), site, replace=False)
        if made:
            self.created.append(f"{made} redirect(s) from the old site")
        self.warnings.extend(f"Old-site redirect skipped, {problem}." for problem in problems)

    # Pages

    def home_page(self):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site and isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        existing = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
        if existing:
            return existing

        root = Page.get_first_root_node() or self.tree_root()
        placeholder = root.get_children().filter(title=WAGTAIL_PLACEHOLDER_TITLE).first()
        if placeholder and placeholder.specific_class is Page and not placeholder.get_children():
            placeholder.delete()
            root.refresh_from_db()
        home = HomePage(
            title=content.HOME["title"],
            slug="home",
            seo_title=content.HOME["seo_title"],
            search_description=content.HOME["search_description"],
            headline=content.HOME["headline"],
            introduction=content.HOME["introduction"],
            key_activities_heading=content.HOME["key_activities_heading"],
            impact_heading=content.HOME["impact_teaser_heading"],
            locale=Locale.get_default(),
        )
        root.add_child(instance=home)
        self._record(home, content.HOME)
        if site:
            site.root_page = home
            site.save()
        else:
            hostname, port = configured_host_and_port() or ("localhost", 80)
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=content.SETTINGS["organisation_name"],
            )
        return home

    def tree_root(self):
        """The tree's root, as Wagtail's first migration makes it; gone after `manage.py flush`."""
        locale, _ = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))

    def child(self, parent, page_class, spec, in_menu=False):
        existing = parent.get_children().filter(slug=spec["slug"]).first()
        if existing:
            self.pages_by_slug[spec.get("key", spec["slug"])] = existing
            return existing
        fields = {
            name: spec[name] for name in PAGE_FIELDS if name in spec and hasattr(page_class, name)
        }
        if "published_on" in spec:
            fields["published_on"] = date(*spec["published_on"])
        page = page_class(
            title=spec["title"],
            slug=spec["slug"],
            search_description=spec.get("search_description", ""),
            show_in_menus=in_menu,
            **fields,
        )
        parent.add_child(instance=page)
        self._record(page, spec)
        return page

    def _record(self, page, spec):
        self.pages_by_slug[spec.get("key", page.slug)] = page
        self._new_pages.append((page, spec))
        self.created.append(f"{page._meta.verbose_name} '{page.title}'")

    def fill_and_publish(self, page, spec):
        """Streams and inlines need every linked page to exist, so they come second."""
        if "body" in spec:
            page.body = self.stream(spec["body"])
        if "related_links" in spec:
            page.related_links = [
                {"type": "link", "value": link}
                for link in map(self.link, spec["related_links"])
                if link
            ]
        if spec.get("call_to_action"):
            cta = self.call_to_action(spec["call_to_action"])
            page.call_to_action = [{"type": "call_to_action", "value": cta}] if cta else []
        if isinstance(page, ImpactPage):
            page.highlights = [
                ImpactHighlight(sort_order=n, **h) for n, h in enumerate(spec["highlights"])
            ]
            page.datasets = [
                {"type": "dataset", "value": self.dataset(dataset)}
                for dataset in spec.get("datasets", [])
            ]
        if "authors" in spec:
            author_class = page._meta.get_field("authors").related_model
            page.authors = [
                author_class(sort_order=n, **author) for n, author in enumerate(spec["authors"])
            ]
        for name in ("related_initiatives", "related_publications"):
            if name in spec:
                setattr(page, name, [self.pages_by_slug[slug] for slug in spec[name]])
        if spec.get("tags"):
            page.tags.add(*spec["tags"])
        if isinstance(page, HomePage):
            chosen = [self.pages_by_slug.get(s["slug"]) for s in content.INITIATIVES]
            page.featured_initiatives = [
                FeaturedInitiative(initiative=initiative, sort_order=n)
                for n, initiative in enumerate(filter(None, chosen))
            ]
        bind_streams(page)
        page.save_revision(log_action=True).publish()

    def stream(self, blocks):
        data = []
        for block_type, value in blocks:
            if block_type == "link_list":
                links = [link for link in map(self.link, value["links"]) if link]
                value = {**value, "links": links}
            elif block_type == "call_to_action":
                value = self.call_to_action(value)
            if value:
                data.append({"type": block_type, "value": value})
        return data

    def link(self, spec):
        """A seed link as LinkBlock data; None if it points at a page that no longer exists."""
        if "page" in spec:
            page = self.pages_by_slug.get(spec["page"])
            if page is None:
                return None
            return {"page": page.pk, "url": "", "title": spec["title"]}
        library_link = self.library.get(spec["url"])
        if library_link is not None:
            return {"page": None, "link": library_link.pk, "url": "", "title": spec["title"]}
        return {"page": None, "url": spec["url"], "title": spec["title"]}

    def dataset(self, spec):
        """A seed dataset as DatasetBlock data: a typed table, its source a page here (the
        publication or post the figures come from) or a library link."""
        label, *series = spec["columns"]
        source = spec["source"]
        page = self.pages_by_slug.get(source["page"]) if "page" in source else None
        link = self.library.get(source["url"]) if "url" in source else None
        return {
            "title": spec["title"],
            "slug": spec["slug"],
            "takeaway": spec["takeaway"],
            "chart": spec["chart"],
            "unit": spec["unit"],
            "licence": "CC-BY-4.0",
            "source": {
                "page": page.pk if page else None,
                "link": link.pk if link else None,
                "title": source["title"],
            },
            "data": {
                "columns": [{"type": "label", "heading": label}]
                + [{"type": "number", "heading": name} for name in series],
                "rows": [{"values": row} for row in spec["rows"]],
                "caption": "",
            },
        }

    def call_to_action(self, spec):
        link = self.link(spec["link"])
        return {**spec, "link": link} if link else None

    # The link library

    def links(self):
        """Library links for the seed's external addresses: found by address, else created."""
        library = {}
        english = Locale.get_default()
        for url, (title, category_slug, description) in content.LINKS.items():
            link = Link.objects.filter(url=url, locale=english).first()
            if link is None:
                category, _ = LinkCategory.objects.get_or_create(
                    slug=category_slug,
                    locale=english,
                    defaults={"name": content.LINK_CATEGORY_NAMES[category_slug]},
                )
                link = Link.objects.create(
                    url=url, title=title, description=description, category=category
                )
                self.created.append(f"link '{title}'")
            library[url] = link
        return library

    # Contacts

    def contacts(self):
        """The seeded contacts, created only while no English contact exists at all."""
        english = Locale.get_default()
        if Contact.objects.filter(locale=english).exists():
            return []
        created = []
        for n, spec in enumerate(content.CONTACTS):
            purpose, _ = ContactPurpose.objects.get_or_create(
                name=spec["purpose"], locale=english, defaults={"sort_order": n}
            )
            created.append(
                Contact.objects.create(
                    name=spec["name"],
                    role=spec["role"],
                    email=spec["email"],
                    purpose=purpose,
                    sort_order=n,
                )
            )
        if created:
            self.created.append(f"{len(created)} contacts")
        return created

    # Spanish

    def spanish(self, home):
        """A Spanish version of what is seeded in Spanish and has none yet."""
        spanish = SpanishSeed()
        spanish.run(home)
        self.created.extend(spanish.created)
        self.warnings.extend(spanish.warnings)

    # The catalogue

    def catalogue(self, home):
        """The vocabularies and entries, in English and Spanish, made in bulk: a page each with
        no revision (an editor's first save makes one), the terms and every relation in a few
        statements, so that the seed stays cheap (the test suite builds it once per run)."""
        english, spanish = Locale.get_default(), spanish_locale()
        terms = self.catalogue_terms(english, spanish)
        spanish_home = home.get_translation_or_none(spanish)
        index = home.get_children().type(CatalogueIndexPage).first()
        if index is not None:
            return  # made before: an editor's changes are kept
        spec = seed_catalogue.INDEX
        index = CatalogueIndexPage(
            title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision(log_action=True).publish()
        self.created.append("the catalogue")
        self.catalogue_entries(index, english, terms)
        if spanish_home is not None:
            es_index = CatalogueIndexPage(
                title=spec["es_title"],
                slug=spec["es_slug"],
                introduction=spec["es_introduction"],
                show_in_menus=True,
                locale=spanish,
                translation_key=index.translation_key,
            )
            spanish_home.add_child(instance=es_index)
            es_index.save_revision(log_action=True).publish()
            self.catalogue_entries(es_index, spanish, terms, english_index=index)
            self.created.append("the Spanish catalogue")

    def catalogue_terms(self, english, spanish):
        """{(locale id, vocabulary, slug): Term}, the missing ones made in two statements."""
        existing = {
            (term.locale_id, term.vocabulary, term.slug): term for term in Term.objects.all()
        }
        new = []
        for vocabulary, values in seed_catalogue.TERMS.items():
            for order, (slug, name, es_name) in enumerate(values):
                if (english.pk, vocabulary, slug) in existing:
                    continue
                term = Term(
                    vocabulary=vocabulary, slug=slug, name=name, sort_order=order, locale=english
                )
                new.append(term)
                new.append(
                    Term(
                        vocabulary=vocabulary,
                        slug=slug,
                        name=es_name,
                        sort_order=order,
                        locale=spanish,
                        translation_key=term.translation_key,
                    )
                )
        Term.objects.bulk_create(new)
        if new:
            self.created.append(f"{len(new)} catalogue terms")
        existing.update({(term.locale_id, term.vocabulary, term.slug): term for term in new})
        return existing

    def catalogue_entries(self, index, locale, terms, english_index=None):
        """Every entry under the index, live, then their relations in one statement each."""
        language = "en" if english_index is None else "es"
        english_keys = {}
        if english_index is not None:
            english_keys = dict(
                CatalogueEntryPage.objects.child_of(english_index).values_list(
                    "slug", "translation_key"
                )
            )
        now = timezone.now()
        today = now.date()
        pages = {}
        for spec in seed_catalogue.ENTRIES:
            term = lambda vocabulary, slug: terms.get((locale.pk, vocabulary, slug))  # noqa: E731
            page = CatalogueEntryPage(
                title=spec["title"],
                slug=spec["slug"],
                locale=locale,
                provider=spec.get("provider", ""),
                summary=spec[language],
                founded=spec.get("founded"),
                country=spec.get("country", "") if language == "en" else "",
                legal_form=term("legal-form", spec.get("legal_form")),
                programming_languages=spec.get("programming_languages", ""),
                funders=spec.get("funders", ""),
                about_confirmed=today,
                technical_confirmed=today,
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
            if spec["slug"] in english_keys:
                page.translation_key = english_keys[spec["slug"]]
            # What add_child does, without its queries for the parent and the last sibling, and
            # without validating what the seed wrote (the index was made just now, empty).
            page.depth = index.depth + 1
            page.path = index._get_path(index.path, page.depth, len(pages) + 1)
            page.draft_title = page.title
            page._cached_parent_obj = index
            page.save(clean=False, log_action=None)
            pages[spec["slug"]] = page
        Page.objects.filter(pk=index.pk).update(numchild=len(pages))
        index.numchild = len(pages)
        # The history Wagtail would log for each, in one statement.
        content_type = ContentType.objects.get_for_model(CatalogueEntryPage)
        PageLogEntry.objects.bulk_create(
            PageLogEntry(
                page=page,
                content_type=content_type,
                label=page.title,
                action=action,
                timestamp=now,
                content_changed=True,
            )
            for page in pages.values()
            for action in ("wagtail.create", "wagtail.publish")
        )
        relations = {
            "categories": "category",
            "code_licences": "licence",
            "content_licences": "licence",
            "standards": "standard",
            "frameworks": "framework",
            "disciplines": "discipline",
            "regions": "region",
            "interface_languages": "language",
        }
        for field_name, vocabulary in relations.items():
            through = CatalogueEntryPage._meta.get_field(field_name).remote_field.through
            through.objects.bulk_create(
                through(catalogueentrypage_id=pages[spec["slug"]].pk, term_id=term.pk)
                for spec in seed_catalogue.ENTRIES
                for slug in spec.get(field_name, [])
                if (term := terms.get((locale.pk, vocabulary, slug)))
            )
        through = CatalogueEntryPage.integrations.through
        through.objects.bulk_create(
            through(
                from_catalogueentrypage_id=pages[spec["slug"]].pk,
                to_catalogueentrypage_id=pages[slug].pk,
            )
            for spec in seed_catalogue.ENTRIES
            for slug in spec.get("integrations", [])
        )
        self.created.append(f"{len(pages)} catalogue entries ({language})")

    # Settings

    def organisation_settings(self, primary_contact=None):
        """Filled in only while untouched: every field still at its blank default."""
        org = OrganisationSettings.load()
        untouched = (
            all(
                getattr(org, name) in ("", OrganisationSettings._meta.get_field(name).default)
                for name in SETTINGS_FIELDS
            )
            and not org.social_profiles
            and not org.primary_contact_id
            and not org.privacy_page_id
        )
        if not untouched:
            return
        for name in SETTINGS_FIELDS:
            setattr(org, name, content.SETTINGS[name])
        org.primary_contact = primary_contact
        org.privacy_page = self.pages_by_slug.get(content.PRIVACY["slug"])
        org.save()
        self.created.append("organisation settings")

    def organisation_wording(self):
        """The English tagline and footer, made once: an edited or emptied one is kept."""
        if OrganisationWording.objects.filter(locale=Locale.get_default()).exists():
            return
        OrganisationWording.objects.create(
            locale=Locale.get_default(),
            tagline=content.SETTINGS["tagline"],
            footer_text=content.SETTINGS["footer_text"],
            footer_links=[
                {"type": "link", "value": link}
                for link in (
                    self.link({"title": "About IOI", "page": content.ABOUT["slug"]}),
                    self.link(
                        {"title": "Accessibility statement", "page": content.ACCESSIBILITY["slug"]}
                    ),
                    self.link({"title": "Privacy notice", "page": content.PRIVACY["slug"]}),
                    self.link({"title": "Contact", "page": content.CONTACT["slug"]}),
                )
                if link
            ],
        )
        self.created.append("organisation wording")
