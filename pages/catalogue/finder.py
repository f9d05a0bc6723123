"""Finding entries: the search, the filters with their counts, the sort, and the choice of entries
to compare, all read from plain GET parameters. A parameter that is not one of the choices is no
filter at all; a repeated one counts once (its first valid value). Every function here costs a
fixed number of queries, however many entries there are."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from pages.translation.locales import in_active_language

from .models.entries import CatalogueEntryPage, EntryPolicy, Term, prefetched
from .vocabularies import POLICIES

# A search longer than this is cut: names and providers are far shorter.
SEARCH_MAX = 100
# More e= than this is no comparison anyone asked for.
COMPARE_MAX_PARAMS = 50
COMPARE_MAX = 4
PER_PAGE = 20

SORTS = {
    "name": ("title",),
    "confirmed": ("-last_confirmed", "title"),
    "relied-on": ("-relied_on_count", "title"),
}


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    vocabulary: str = ""
    relations: tuple = ()  # many-to-many fields to Term
    field: str = ""  # a foreign key to Term

    def matching(self, value):
        """The entries' ids that have this value, as a subquery."""
        if self.param == "policy":
            return EntryPolicy.objects.filter(policy=value, status="available").values("page_id")
        if self.field:
            return CatalogueEntryPage.objects.filter(**{f"{self.field}__slug": value}).values("pk")
        query = Q()
        for relation in self.relations:
            query |= Q(**{f"{relation}__slug": value})
        return CatalogueEntryPage.objects.filter(query).values("pk")


FACETS = (
    Facet("category", _("Category"), "category", relations=("categories",)),
    Facet("legal_form", _("Legal form"), "legal-form", field="legal_form"),
    Facet("hosting", _("Hosting"), "hosting", field="hosting"),
    Facet("maintenance", _("Maintenance"), "maintenance", field="maintenance"),
    Facet("licence", _("Licence"), "licence", relations=("code_licences", "content_licences")),
    Facet("standard", _("Standards"), "standard", relations=("standards",)),
    Facet("framework", _("Values frameworks"), "framework", relations=("frameworks",)),
    Facet("region", _("Region"), "region", relations=("regions",)),
    Facet("policy", _("Policy available")),
)
FUNDING_FACETS = tuple(facet for facet in FACETS if facet.param in ("category", "region"))


def first_valid(request, name, allowed):
    for value in request.GET.getlist(name)[:COMPARE_MAX_PARAMS]:
        if value in allowed:
            return value
    return None


class Finder:
    """The index's (or the funding-needs view's) reading of the request."""

    def __init__(self, index, request, facets=FACETS, base=None):
        self.index = index
        self.request = request
        self.facets = facets
        self.terms = {}  # vocabulary -> {slug: name}
        for term in in_active_language(Term.objects.all()).only("vocabulary", "slug", "name"):
            self.terms.setdefault(term.vocabulary, {})[term.slug] = term.name
        self.terms["policy"] = {key: str(label) for key, label in POLICIES}
        self.chosen = {}
        for facet in facets:
            value = first_valid(
                request, facet.param, self.terms.get(facet.vocabulary or "policy", {})
            )
            if value:
                self.chosen[facet.param] = value
        self.query = request.GET.get("q", "").strip()[:SEARCH_MAX]
        self.sort = first_valid(request, "sort", SORTS) or "name"
        self.compare = [
            slug for slug in dict.fromkeys(request.GET.getlist("e")[:COMPARE_MAX_PARAMS]) if slug
        ][:COMPARE_MAX]
        self.base = base if base is not None else index.get_url(request)
        everything = CatalogueEntryPage.objects.for_listing().child_of(index)
        self.everything = everything
        found = everything
        if self.query:
            found = found.filter(Q(title__icontains=self.query) | Q(provider__icontains=self.query))
        for facet in facets:
            if facet.param in self.chosen:
                found = found.filter(pk__in=facet.matching(self.chosen[facet.param]))
        self.found = found

    def results(self):
        return self.found.annotate(
            relied_on_count=Count("relied_on_by", filter=Q(relied_on_by__live=True), distinct=True)
        ).order_by(*SORTS[self.sort])

    def state(self, **changes):
        """The parameters of this view with some changed (None removes one)."""
        params = {"q": self.query, **self.chosen}
        if self.sort != "name":
            params["sort"] = self.sort
        params.update(changes)
        pairs = [(name, value) for name, value in params.items() if value]
        pairs += [("e", slug) for slug in self.compare]
        return pairs

    def address(self, base=None, **changes):
        query = urlencode(self.state(**changes))
        base = self.base if base is None else base
        return f"{base}?{query}" if query else base

    def filters_query(self):
        """The state as a query-string prefix for the pagination's links ("a=b&", or "")."""
        query = urlencode(self.state())
        return query + "&" if query else ""

    def counts(self):
        """{facet param: Counter(slug -> entries among the results)}, in one query: a UNION of
        a part per facet (its link tables, its foreign key, or the policies), each giving the
        distinct (value, entry) pairs among the results."""
        ids_sql, ids_params = self.found.order_by().values("pk").query.sql_with_params()
        quote = connection.ops.quote_name
        term = quote(Term._meta.db_table)
        entries = quote(CatalogueEntryPage._meta.db_table)
        entry_pk = quote(CatalogueEntryPage._meta.pk.column)
        parts, params = [], []

        def part(sql, *extra):
            parts.append(
                f"SELECT CAST(%s AS VARCHAR(30)), value, entry FROM ({sql}) facet_{len(parts)}"
            )
            params.extend(extra)

        for facet in self.facets:
            if facet.param == "policy":
                table = quote(EntryPolicy._meta.db_table)
                part(
                    f"SELECT DISTINCT policy AS value, page_id AS entry FROM {table} "
                    f"WHERE status = %s AND page_id IN ({ids_sql})",
                    facet.param,
                    "available",
                    *ids_params,
                )
            elif facet.field:
                column = quote(CatalogueEntryPage._meta.get_field(facet.field).column)
                part(
                    f"SELECT term.slug AS value, entry.{entry_pk} AS entry FROM {entries} entry "
                    f"INNER JOIN {term} term ON term.id = entry.{column} "
                    f"WHERE entry.{entry_pk} IN ({ids_sql})",
                    facet.param,
                    *ids_params,
                )
            else:
                links = []
                for relation in facet.relations:
                    field = CatalogueEntryPage._meta.get_field(relation)
                    link = quote(field.remote_field.through._meta.db_table)
                    source = quote(field.m2m_column_name())
                    target = quote(field.m2m_reverse_name())
                    links.append(
                        f"SELECT term.slug AS value, link.{source} AS entry FROM {link} link "
                        f"INNER JOIN {term} term ON term.id = link.{target} "
                        f"WHERE link.{source} IN ({ids_sql})"
                    )
                # UNION (not ALL): an entry under both licences counts once.
                part(" UNION ".join(links), facet.param, *ids_params * len(links))
        counts = {facet.param: Counter() for facet in self.facets}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for param, value, _entry in cursor.fetchall():
                counts[param][value] += 1
        return counts

    def facet_links(self):
        """Per facet: its label and options (name, count, address, chosen), values with no
        entry among the results left out unless chosen."""
        counts = self.counts()
        found = []
        for facet in self.facets:
            names = self.terms.get(facet.vocabulary or "policy", {})
            chosen = self.chosen.get(facet.param)
            options = [
                {
                    "name": name,
                    "count": counts[facet.param].get(slug, 0),
                    "url": self.address(**{facet.param: None if slug == chosen else slug}),
                    "chosen": slug == chosen,
                }
                for slug, name in sorted(names.items(), key=lambda item: item[1].lower())
                if counts[facet.param].get(slug) or slug == chosen
            ]
            if options:
                found.append(
                    {
                        "param": facet.param,
                        "label": facet.label,
                        "options": options,
                        "clear": self.address(**{facet.param: None}) if chosen else None,
                    }
                )
        return found

    def chosen_labels(self):
        return [
            (facet.label, self.terms.get(facet.vocabulary or "policy", {}).get(value, value))
            for facet in self.facets
            if (value := self.chosen.get(facet.param))
        ]


def compare_choice(index, request):
    """(entries in the order asked, messages, too many parameters?) for a compare address."""
    asked = request.GET.getlist("e")
    if len(asked) > COMPARE_MAX_PARAMS:
        return [], [], True
    slugs = [slug for slug in dict.fromkeys(asked) if slug]
    entries = {
        entry.slug: entry
        for entry in prefetched(
            CatalogueEntryPage.objects.for_listing().child_of(index).filter(slug__in=slugs)
        )
    }
    messages = []
    unknown = [slug for slug in slugs if slug not in entries]
    if unknown:
        messages.append(
            _("No entry in the catalogue is called %(names)s: left out.")
            % {"names": ", ".join(unknown[:10])}
        )
    chosen = [entries[slug] for slug in slugs if slug in entries]
    if len(chosen) > COMPARE_MAX:
        messages.append(
            _("At most %(max)s entries can be compared: the first %(max)s are shown.")
            % {"max": COMPARE_MAX}
        )
        chosen = chosen[:COMPARE_MAX]
    if len(chosen) < 2:
        messages.append(_("Choose at least two entries to compare them."))
    return chosen, messages, False
