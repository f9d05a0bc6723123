"""The catalogue's data: the vocabularies (`Term`) and one page per entry, with its policies as
an inline. What the page, compare and the downloads show of an entry is described once, in
sections.py; the index is index.py's."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from pages.fields import WebURLField
from pages.models.base import OneQueryViewRestrictions, PreviewedAsServed, public_pages
from pages.translation.locales import TranslatableSnippetMixin

from .. import exports, history, sections
from ..vocabularies import (
    FUNDING_SOURCES,
    GOVERNANCE,
    POLICIES,
    POLICY_STATUSES,
    READINESS,
    STAFF,
    VOCABULARIES,
)

# Sub-addresses of the index: an entry may not take one of these as its slug.
RESERVED_SLUGS = {
    "compare",
    "comparar",
    "funding-needs",
    "necesidades-de-financiacion",
    "suggest",
    "sugerir",
    "catalogue.csv",
    "catalogue.json",
    "datapackage.json",
}
# What an entry's page, compare and the downloads read, loaded for any number of entries in a
# fixed number of queries.
SHOWN_RELATIONS = [
    "categories",
    "code_licences",
    "content_licences",
    "standards",
    "frameworks",
    "disciplines",
    "regions",
    "interface_languages",
    "policies",
]


class Term(TranslatableSnippetMixin, models.Model):
    """One value of a controlled vocabulary (a category, a licence, a standard, a region...),
    kept by data editors in Snippets → Catalogue terms, translated like any snippet."""

    vocabulary = models.CharField(
        max_length=20,
        choices=VOCABULARIES,
        help_text="Which list this value belongs to: it is offered only in that field.",
    )
    name = models.CharField(max_length=120, help_text="As readers see it, e.g. 'Apache 2.0'.")
    slug = models.SlugField(
        max_length=120,
        help_text="Used in filter addresses and the downloads; keep it the same in every language.",
    )
    description = models.TextField(
        blank=True, max_length=500, help_text="Optional. What the value means, for editors."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in filters; then by name."
    )

    panels = [
        FieldRowPanel([FieldPanel("vocabulary"), FieldPanel("sort_order")]),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
        SynchronizedField("vocabulary"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableSnippetMixin.Meta):
        ordering = ["vocabulary", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "slug", "locale"], name="catalogue_term_slug_per_language"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_vocabulary_display()})"


def one_term(vocabulary, related_name, help_text):
    """A field that takes one value of a vocabulary, optional; a term in use cannot be deleted."""
    return models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"vocabulary": vocabulary},
        help_text=help_text,
    )


def terms(vocabulary, related_name, help_text, **options):
    """A field that takes any number of values of a vocabulary."""
    return ParentalManyToManyField(
        Term,
        blank=True,
        related_name=related_name,
        limit_choices_to={"vocabulary": vocabulary},
        help_text=help_text,
        **options,
    )


class EntryQuerySet(PageQuerySet):
    _with_terms = False

    def with_terms(self):
        """Every vocabulary of the entries found, in one query once they are (load_terms)."""
        clone = self._chain()
        clone._with_terms = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_terms = self._with_terms
        return clone

    def _prefetch_related_objects(self):
        super()._prefetch_related_objects()
        if self._with_terms:
            load_terms(self._result_cache)

    def for_listing(self):
        """Live, public entries with what a card shows, in a fixed number of queries."""
        return (
            public_pages(self.live())
            .select_related("legal_form", "hosting", "maintenance")
            .prefetch_related("categories")
        )


class EntryPermissionTester(PagePermissionTester):
    """Wagtail's checks, and one more: copying, moving or deleting an entry takes permission to
    add pages there (held on the catalogue or above it). Wagtail would offer them to anyone who
    may edit the entry: to a provider, who holds edit on their own entries alone
    (docs/roles.md#providers) and whose admin refuses those addresses, so the editor's menu
    offered them Copy, and Move and Delete on an entry never published, each answering 403.
    Editors, moderators and administrators hold add, so nothing changes for them; translators,
    who hold edit alone on the Spanish pages, copy and delete no page in any case
    (docs/roles.md)."""

    def _may_add_here(self):
        return self.user.is_superuser or "add" in getattr(self, "permissions", ())

    def can_copy(self):
        return self._may_add_here() and super().can_copy()

    def can_move(self):
        return self._may_add_here() and super().can_move()

    def can_delete(self, ignore_bulk=False):
        return self._may_add_here() and super().can_delete(ignore_bulk)


class CatalogueEntryPage(PreviewedAsServed, OneQueryViewRestrictions, Page):
    """One piece of open infrastructure, as its provider reported it and IOI reviewed it."""

    # Header
    provider = models.CharField(
        max_length=255, blank=True, help_text="The organisation behind it, e.g. 'CERN'."
    )
    website = WebURLField(blank=True, max_length=500, help_text="Its home page, https://...")
    summary = models.TextField(
        blank=True,
        max_length=600,
        help_text="One or two sentences on what it does, in IOI's words. Shown in the list.",
    )
    categories = terms(
        "category",
        "category_entries",
        "What kind of infrastructure it is; readers filter by these.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. The provider's logo; shown without alt text, beside the name.",
    )

    # About
    founded = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text="The year it started. Leave empty if not reported.",
    )
    country = models.CharField(
        max_length=100, blank=True, help_text="The country of the provider, in words."
    )
    legal_form = one_term(
        "legal-form",
        "legal_form_entries",
        "The provider's legal form, e.g. non-profit, university-hosted.",
    )
    board = models.CharField(
        "board structure", max_length=255, blank=True, help_text="How its board is made up."
    )
    governance = models.CharField(
        "community governance",
        max_length=20,
        blank=True,
        choices=GOVERNANCE,
        help_text="Whether the community has a formal say in its direction.",
    )
    staff = models.CharField(
        max_length=10, blank=True, choices=STAFF, help_text="Paid staff, in full-time equivalents."
    )
    volunteers = models.CharField(
        max_length=100, blank=True, help_text="How many volunteers contribute, in words."
    )
    about_confirmed = models.DateField(
        "about: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Technical
    readiness = models.CharField(
        max_length=20, blank=True, choices=READINESS, help_text="How proven it is in use."
    )
    maintenance = one_term(
        "maintenance", "maintenance_entries", "Whether it is actively maintained."
    )
    hosting = one_term(
        "hosting", "hosting_entries", "Who can host it: the provider, third parties, either."
    )
    code_licences = terms(
        "licence", "code_licence_entries", "The licences its source code is released under."
    )
    content_licences = terms(
        "licence", "content_licence_entries", "The licences of the content or data it publishes."
    )
    programming_languages = models.CharField(
        max_length=255, blank=True, help_text="Separated by commas, e.g. 'Python, JavaScript'."
    )
    code_repository = WebURLField(
        blank=True, max_length=500, help_text="Where its source code is, https://..."
    )
    standards = terms(
        "standard",
        "standard_entries",
        "Metadata, identifier, preservation, metrics and authentication standards.",
    )
    integrations = ParentalManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="relied_on_by",
        help_text="Other entries it works with or relies on (e.g. OJS registers DOIs with "
        "Crossref). Each of those lists this one as relying on it.",
    )
    technical_confirmed = models.DateField(
        "technical: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Community
    contribution_ways = models.TextField(
        "ways to contribute",
        blank=True,
        max_length=1000,
        help_text="How users can contribute: code, documentation, translation, funds...",
    )
    engagement = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Community calls, working groups, forums, annual meetings...",
    )
    community_confirmed = models.DateField(
        "community: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Policies are EntryPolicy rows.
    policies_confirmed = models.DateField(
        "policies: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Values
    frameworks = terms(
        "framework",
        "framework_entries",
        "Frameworks it engages with: POSI, FAIR, CARE...",
        verbose_name="values frameworks",
    )
    values_confirmed = models.DateField(
        "values: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Funding
    funding_source = models.CharField(
        "primary funding source",
        max_length=30,
        blank=True,
        choices=FUNDING_SOURCES,
        help_text="Where most of its money comes from.",
    )
    funders = models.TextField(
        blank=True, max_length=1000, help_text="Funders and recent grants, in words."
    )
    funding_needs = models.TextField(
        "stated funding needs",
        blank=True,
        max_length=1000,
        help_text="What it says it needs money for. Entries with needs appear on the funding "
        "needs view.",
    )
    collective_funding = models.CharField(
        max_length=255, blank=True, help_text="Collective funding it takes part in, e.g. SCOSS."
    )
    finances_public = models.BooleanField(
        "provider allows publishing its finances",
        default=False,
        help_text="Revenue and expenses are shown (and downloaded) only when this is ticked.",
    )
    revenue = models.DecimalField(
        "annual revenue",
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text="In the currency below, for the fiscal year below.",
    )
    expenses = models.DecimalField(
        "annual expenses",
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        help_text="In the currency below, for the fiscal year below.",
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text="Three-letter code, e.g. USD, EUR."
    )
    fiscal_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2200)],
        help_text="The fiscal year of the revenue and expenses.",
    )
    funding_confirmed = models.DateField(
        "funding: last confirmed", null=True, blank=True, help_text="When IOI last confirmed it."
    )

    # Who it serves
    disciplines = terms(
        "discipline", "discipline_entries", "The fields it serves ('Generalist' for any)."
    )
    regions = terms("region", "region_entries", "Where its users are.")
    interface_languages = terms(
        "language", "interface_language_entries", "Languages its interface is offered in."
    )
    audience_confirmed = models.DateField(
        "who it serves: last confirmed",
        null=True,
        blank=True,
        help_text="When IOI last confirmed it.",
    )

    # The most recent of the sections' dates, kept on save: the index sorts by it.
    last_confirmed = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The latest of the sections' dates, kept on save; the list sorts by it.",
    )

    objects = PageManager.from_queryset(EntryQuerySet)()

    confirmed_fields = [
        "about_confirmed",
        "technical_confirmed",
        "community_confirmed",
        "policies_confirmed",
        "values_confirmed",
        "funding_confirmed",
        "audience_confirmed",
    ]

    content_panels = Page.content_panels + [
        HelpPanel(
            "Every entry says that its information is self-reported by the provider and "
            "reviewed by IOI, and that inclusion is no endorsement. Leave a field empty when "
            "it is not reported: readers see 'Not reported'."
        ),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldPanel("website"),
                FieldPanel("summary"),
                FieldPanel("categories"),
                FieldPanel("logo"),
            ],
            heading="Header",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("founded"), FieldPanel("country")]),
                FieldPanel("legal_form"),
                FieldPanel("board"),
                FieldRowPanel(
                    [FieldPanel("governance"), FieldPanel("staff"), FieldPanel("volunteers")]
                ),
                FieldPanel("about_confirmed"),
            ],
            heading="About",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("readiness"), FieldPanel("maintenance"), FieldPanel("hosting")]
                ),
                FieldRowPanel([FieldPanel("code_licences"), FieldPanel("content_licences")]),
                FieldPanel("programming_languages"),
                FieldPanel("code_repository"),
                FieldPanel("standards"),
                FieldPanel("integrations"),
                FieldPanel("technical_confirmed"),
            ],
            heading="Technical",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contribution_ways"),
                FieldPanel("engagement"),
                FieldPanel("community_confirmed"),
            ],
            heading="Community",
        ),
        MultiFieldPanel(
            [InlinePanel("policies", label="Policy"), FieldPanel("policies_confirmed")],
            heading="Policies",
        ),
        MultiFieldPanel(
            [FieldPanel("frameworks"), FieldPanel("values_confirmed")], heading="Values"
        ),
        MultiFieldPanel(
            [
                FieldPanel("funding_source"),
                FieldPanel("funders"),
                FieldPanel("funding_needs"),
                FieldPanel("collective_funding"),
                FieldPanel("finances_public"),
                FieldRowPanel(
                    [
                        FieldPanel("revenue"),
                        FieldPanel("expenses"),
                        FieldPanel("currency"),
                        FieldPanel("fiscal_year"),
                    ]
                ),
                FieldPanel("funding_confirmed"),
            ],
            heading="Funding",
        ),
        MultiFieldPanel(
            [
                FieldPanel("disciplines"),
                FieldPanel("regions"),
                FieldPanel("interface_languages"),
                FieldPanel("audience_confirmed"),
            ],
            heading="Who it serves",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Entry"),
            ObjectList(Page.promote_panels, heading="Promote"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("provider"),
        index.SearchField("summary"),
        index.AutocompleteField("provider"),
        index.RelatedFields("categories", [index.SearchField("name")]),
    ]

    parent_page_types = ["catalogue.CatalogueIndexPage"]
    subpage_types = []

    template = "catalogue/catalogue_entry_page.html"

    class Meta:
        verbose_name = "catalogue entry"
        verbose_name_plural = "catalogue entries"

    def permissions_for_user(self, user):
        return EntryPermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"'{self.slug}' is an address of the index itself."})

    def save(self, *args, **kwargs):
        dates = [getattr(self, name) for name in self.confirmed_fields]
        self.last_confirmed = max(filter(None, dates), default=None)
        super().save(*args, **kwargs)

    api_fields = [APIField("catalogue_record")]

    @property
    def catalogue_record(self):
        """The entry as the downloads give it (exports.record), for the API."""
        return exports.record(with_relations(self))

    def get_context(self, request, *args, **kwargs):
        # What the entry shows is worked out when the template renders it: once per cache
        # generation ({% fragment %}), not once per request.
        context = super().get_context(request, *args, **kwargs)
        context["parts"] = SimpleLazyObject(lambda: self.shown(request))
        context["index_url"] = index_url(self.get_url(request))
        return context

    def shown(self, request):
        """The entry with its relations, its sections' rows and dates, and what changed."""
        entry = with_relations(self, request)
        relying = entry.relied_on_by.all() if entry.pk else []  # a new entry, in preview
        urls = entry_urls([*entry.integrations.all(), *relying], request)
        return SimpleNamespace(
            entry=entry,
            sections=[
                (section, sections.rows(entry, section, urls), sections.confirmed(entry, section))
                for section in sections.SECTIONS
            ],
            changes=history.changes(self),
        )


def index_url(entry_url):
    """The catalogue's address from an entry's: entries are the index's children, so it is the
    entry's address less its last part (no query for the parent, as get_parent() makes)."""
    if not entry_url:
        return None  # a new entry, in preview
    return entry_url[: entry_url.rstrip("/").rfind("/") + 1]


def related_entries():
    """Integrations and the entries relying on one, live and public, titles and slugs only."""
    return public_pages(CatalogueEntryPage.objects.live()).only(
        "id", "title", "slug", "live", "url_path", "path", "depth"
    )


# The vocabularies among SHOWN_RELATIONS ("policies" is an inline): loaded by load_terms.
TERM_RELATIONS = [name for name in SHOWN_RELATIONS if name != "policies"]
# The vocabularies that take one value (foreign keys): loaded by load_terms too.
TERM_FIELDS = ["legal_form", "hosting", "maintenance"]


def relations():
    """What Django prefetches; the vocabularies come from load_terms, in one query."""
    return [
        *(name for name in SHOWN_RELATIONS if name not in TERM_RELATIONS),
        Prefetch("integrations", queryset=related_entries()),
        Prefetch("relied_on_by", queryset=related_entries()),
    ]


def prefetched(queryset):
    """A queryset of entries with all that sections.py reads, in a fixed number of queries."""
    return (
        queryset.prefetch_related(None)
        .select_related("legal_form", "hosting", "maintenance")
        .prefetch_related(*relations())
        .with_terms()
    )


def load_terms(entries):
    """Every vocabulary of these entries (TERM_RELATIONS) in one query, a UNION of their link
    tables, where a prefetch per vocabulary took eight; each entry's `.all()` of each then
    answers from it, in the vocabulary's order, as a prefetch would."""
    entries = [entry for entry in entries if entry.pk is not None]
    if not entries:
        return
    quote = connection.ops.quote_name
    ids = [entry.pk for entry in entries]
    marks = ", ".join(["%s"] * len(ids))
    parts, params = [], []
    for number, name in enumerate(TERM_RELATIONS):
        field = CatalogueEntryPage._meta.get_field(name)
        link = quote(field.remote_field.through._meta.db_table)
        source, target = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
        parts.append(
            f"SELECT {number} AS relation_number, link.{source} AS entry_pk, term.* "
            f"FROM {link} link INNER JOIN {quote(Term._meta.db_table)} term "
            f"ON term.{quote('id')} = link.{target} WHERE link.{source} IN ({marks})"
        )
        params += ids
    # And the terms its foreign keys name, in the same query (none when they were joined).
    entry_table = quote(CatalogueEntryPage._meta.db_table)
    entry_pk = quote(CatalogueEntryPage._meta.pk.column)
    for number, name in enumerate(TERM_FIELDS, start=len(TERM_RELATIONS)):
        column = quote(CatalogueEntryPage._meta.get_field(name).column)
        parts.append(
            f"SELECT {number} AS relation_number, entry.{entry_pk} AS entry_pk, term.* "
            f"FROM {entry_table} entry INNER JOIN {quote(Term._meta.db_table)} term "
            f"ON term.{quote('id')} = entry.{column} WHERE entry.{entry_pk} IN ({marks})"
        )
        params += ids
    names = [*TERM_RELATIONS, *TERM_FIELDS]
    found = {(pk, name): [] for pk in ids for name in names}
    for term in Term.objects.raw(" UNION ALL ".join(parts), params):
        found[(term.entry_pk, names[term.relation_number])].append(term)

    def order(term):
        return (term.vocabulary, term.sort_order, term.name)

    for entry in entries:
        if not hasattr(entry, "_prefetched_objects_cache"):
            entry._prefetched_objects_cache = {}
        for name in TERM_RELATIONS:
            terms = Term.objects.all()
            terms._result_cache = sorted(found[(entry.pk, name)], key=order)
            terms._prefetch_done = True
            entry._prefetched_objects_cache[name] = terms
        for name in TERM_FIELDS:
            field = CatalogueEntryPage._meta.get_field(name)
            if not field.is_cached(entry):
                field.set_cached_value(entry, next(iter(found[(entry.pk, name)]), None))


def with_relations(entry, request=None):
    """The entry with its relations loaded in a fixed number of queries. A preview keeps the
    editor's unsaved choices, which live on the instance, so it is used as it is."""
    if entry.pk is None or getattr(request, "is_preview", False):
        return entry
    if not getattr(entry, "_catalogue_loaded", False):
        prefetch_related_objects([entry], *relations())
        load_terms([entry])
        entry._catalogue_loaded = True
    return entry


def entry_urls(entries, request=None):
    """Each entry's address by id, without a query per entry: the index's address plus slug."""
    return {entry.pk: entry.get_url(request) for entry in entries}


class EntryPolicy(Orderable):
    """One of an entry's policies: whether it has one, and where to read it."""

    page = ParentalKey(CatalogueEntryPage, on_delete=models.CASCADE, related_name="policies")
    policy = models.CharField(max_length=30, choices=POLICIES, help_text="Which policy.")
    status = models.CharField(
        max_length=20, choices=POLICY_STATUSES, default="unknown", help_text="Whether it has one."
    )
    url = WebURLField(
        "link", blank=True, max_length=500, help_text="Where to read it, https://... Optional."
    )

    panels = [FieldRowPanel([FieldPanel("policy"), FieldPanel("status")]), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = "policy"
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(fields=["page", "policy"], name="catalogue_one_row_per_policy")
        ]
