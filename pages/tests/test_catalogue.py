"""The catalogue (issue 26): finding, filtering, comparing and reusing entries, on a small
catalogue built for each test (pages/tests/cataloguing.py); the seed's own entries in the few
tests that read it."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import build_home, world
from pages.catalogue import exports
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, EntryPolicy, Term
from pages.tests.cataloguing import build_catalogue


@world
def catalogue(db):
    home = build_home()
    world = build_catalogue(home, count=6)
    world.home = home
    first, second, third = world.entries[:3]
    # entry-2 and entry-3 integrate with entry-1: it is relied on by two.
    for other in (second, third):
        other.integrations.add(first)
        other.save()
    return world


def titles(response):
    return re.findall(r'<h3><a href="[^"]*">([^<]+)</a></h3>', response.content.decode())


def test_the_index_lists_every_entry_by_name(client, catalogue):
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert titles(response) == sorted(f"Entry {n}" for n in range(1, 7))
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/catalogue/catalogue.csv"' in html


def test_filters_narrow_the_list_combine_and_show_counts(client, catalogue):
    response = client.get("/catalogue/?category=publishing-system")
    # entries 1 and 4 have the second category (n % 3 == 1)
    assert titles(response) == ["Entry 1", "Entry 4"]
    html = response.content.decode()
    assert re.search(r"Publishing System <span class=\"count\">\(2\)</span>", html)
    both = client.get("/catalogue/?category=publishing-system&legal_form=non-profit")
    assert titles(both) == ["Entry 4"]
    policy = client.get("/catalogue/?policy=open-data")
    assert titles(policy) == ["Entry 1", "Entry 3", "Entry 5"]
    licence = client.get("/catalogue/?licence=mit")
    assert titles(licence) == ["Entry 3", "Entry 6"]


def test_unknown_and_repeated_parameters_are_ignored(client, catalogue):
    response = client.get(
        "/catalogue/?category=nope&category=publishing-system&colour=red&sort=up&page=x"
    )
    assert response.status_code == 200
    assert titles(response) == ["Entry 1", "Entry 4"]
    for query in ["page=999", "e=", "sort=", "legal_form=" + "x" * 5000]:
        assert client.get("/catalogue/?" + query).status_code == 200, query


def test_a_long_search_is_cut_never_an_error(client, catalogue):
    response = client.get("/catalogue/?q=" + "a" * 10_000)
    assert response.status_code == 200
    assert titles(response) == []
    by_provider = client.get("/catalogue/?q=provider 3")
    assert titles(by_provider) == ["Entry 3"]


def test_sorting_by_relied_on_and_by_last_confirmed(client, catalogue):
    assert titles(client.get("/catalogue/?sort=relied-on"))[0] == "Entry 1"
    assert titles(client.get("/catalogue/?sort=confirmed"))[0] == "Entry 6"


def test_the_list_is_paginated(client, db):
    home = build_home()
    world = build_catalogue(home, count=25)
    assert world
    first = client.get("/catalogue/")
    assert len(titles(first)) == 20
    assert len(titles(client.get("/catalogue/?page=2"))) == 5


def test_add_to_compare_keeps_the_choice_in_the_address(client, catalogue):
    html = client.get("/catalogue/?category=publishing-system&e=entry-2").content.decode()
    # Each card's form carries the state, and the entry as its button's value.
    assert '<input type="hidden" name="category" value="publishing-system">' in html
    assert '<input type="hidden" name="e" value="entry-2">' in html
    assert 'name="e" value="entry-4"' in html
    html = client.get("/catalogue/?e=entry-2&e=entry-4").content.decode()
    assert 'href="/catalogue/compare/?e=entry-2&amp;e=entry-4"' in html


def test_an_entry_shows_every_section_and_not_reported(client, catalogue):
    first = catalogue.entries[0]
    response = client.get("/catalogue/entry-1/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for heading in ["About", "Technical", "Community", "Policies", "Values frameworks", "Funding"]:
        assert f">{heading}</h2>" in html
    assert "Not reported" in html
    assert "self-reported by each provider and reviewed by IOI" in html
    assert "not an endorsement" in html
    # Relied on by the two that integrate with it.
    assert 'href="/catalogue/entry-2/">Entry 2</a>' in html
    assert first.technical_confirmed.isoformat() in html
    # Back to the catalogue, its JSON, and the compare form, all at the index's address.
    assert '<form method="get" action="/catalogue/"' in html
    assert 'href="/catalogue/entry-1.json"' in html and 'href="/catalogue/">Back to' in html


def test_finances_are_shown_only_when_the_provider_allows(client, catalogue):
    entry = catalogue.entries[0]
    entry.revenue, entry.currency, entry.fiscal_year = 123456, "USD", 2024
    entry.save()
    assert "123,456" not in client.get("/catalogue/entry-1/").content.decode()
    assert exports.record(entry)["revenue"] is None
    entry.finances_public = True
    entry.save()
    html = client.get("/catalogue/entry-1/").content.decode()
    assert "123,456 USD" in html, re.findall(r"Annual revenue.{0,200}", html, re.S)


def test_compare_three_shows_three_columns_in_every_section(client, catalogue):
    response = client.get("/catalogue/compare/?e=entry-1&e=entry-2&e=entry-3")
    html = response.content.decode()
    assert response.status_code == 200
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    assert len(tables) == 8
    for table in tables:
        assert table.count('<th scope="col">') == 3
        assert '<th scope="row">' in table
    assert 'class="differs"' in html


def test_compare_more_than_four_or_unknown_gives_a_message_and_the_valid_part(client, catalogue):
    asked = "&".join(f"e=entry-{n}" for n in range(1, 7))
    html = client.get(f"/catalogue/compare/?{asked}&e=nope").content.decode()
    assert "No entry in the catalogue is called nope" in html
    assert "At most 4 entries can be compared" in html
    assert re.findall(r"<table>.*?</table>", html, re.S)[0].count('<th scope="col">') == 4


def test_hundreds_of_entries_to_compare_is_a_400(client, catalogue):
    response = client.get("/catalogue/compare/?" + "&".join(["e=entry-1"] * 300))
    assert response.status_code == 400
    assert client.get("/catalogue/compare.csv?" + "&".join(["e=x"] * 300)).status_code == 400


def test_the_csv_and_json_hold_every_entry(client, catalogue):
    response = client.get("/catalogue/catalogue.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert sorted(row["slug"] for row in rows) == sorted(e.slug for e in catalogue.entries)
    entry_2 = next(row for row in rows if row["slug"] == "entry-2")
    assert entry_2["integrations"] == "entry-1"
    data = json.loads(client.get("/catalogue/catalogue.json").content)
    assert len(data["entries"]) == 6
    assert data["licence"] == "CC-BY-4.0"
    assert data["version"] in data["citation"]
    one = json.loads(client.get("/catalogue/entry-2.json").content)
    assert one == next(e for e in data["entries"] if e["slug"] == "entry-2")
    compare = client.get("/catalogue/compare.csv?e=entry-1&e=entry-2").content.decode()
    assert compare.splitlines()[0] == "section,field,Entry 1,Entry 2"


def test_the_data_package_validates(client, catalogue, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for name in ("datapackage.json", "catalogue.csv", "catalogue.json"):
        (tmp_path / name).write_bytes(client.get(f"/catalogue/{name}").content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_entries_are_in_the_read_only_api(client, catalogue):
    response = client.get(
        "/api/v2/pages/?type=catalogue.CatalogueEntryPage&fields=catalogue_record"
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 6
    record = next(i for i in items if i["meta"]["slug"] == "entry-2")["catalogue_record"]
    assert record == exports.record(CatalogueEntryPage.objects.get(slug="entry-2"))


def test_export_then_import_is_lossless(client, catalogue, tmp_path):
    entry = catalogue.entries[1]
    entry.website = "https://example.org/=formula"
    entry.summary = "=1+1 looks like a formula"
    entry.finances_public, entry.revenue, entry.currency = True, 5000, "EUR"
    entry.save()
    first = client.get("/catalogue/catalogue.csv").content.decode()
    path = tmp_path / "catalogue.csv"
    path.write_text(first, encoding="utf-8")
    for page in CatalogueEntryPage.objects.all():
        page.delete()
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert CatalogueEntryPage.objects.live().count() == 6
    assert client.get("/catalogue/catalogue.csv").content.decode() == first
    # And again over what is there: the entries are updated, not doubled.
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert client.get("/catalogue/catalogue.csv").content.decode() == first


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda text: "", "empty"),
        (lambda text: text.replace("slug,", "colour,", 1), "Unknown columns: colour"),
        (lambda text: text.replace(",1991,", ",nineteen,", 1), "is not a year"),
        (lambda text: text.replace("non-profit", "made-up-form", 1), "no legal-form term"),
        (lambda text: text + '"unclosed,\n', "slug and a name"),
    ],
)
def test_a_malformed_csv_is_a_clear_error_and_changes_nothing(
    client, catalogue, tmp_path, change, problem
):
    original = client.get("/catalogue/catalogue.csv").content.decode()
    bad = change(original.replace("Entry 1", "Renamed"))
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CommandError, match=problem):
        call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert client.get("/catalogue/catalogue.csv").content.decode() == original


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path, catalogue):
    path = tmp_path / "bad.csv"
    path.write_text("not,a,catalogue\n1,2,3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_catalogue", str(path))


def test_the_funding_needs_view_lists_entries_with_needs(client, catalogue):
    entry = catalogue.entries[2]
    entry.funding_needs = "Two developers for a year."
    entry.save()
    response = client.get("/catalogue/funding-needs/")
    assert response.status_code == 200
    assert titles(response) == ["Entry 3"]
    assert "Two developers for a year." in response.content.decode()
    assert titles(client.get("/catalogue/funding-needs/?category=pid-service")) == []


def test_the_page_tree_and_reserved_slugs(catalogue):
    assert CatalogueEntryPage.parent_page_types == ["catalogue.CatalogueIndexPage"]
    assert CatalogueEntryPage.subpage_types == []
    assert CatalogueIndexPage.subpage_types == ["catalogue.CatalogueEntryPage"]
    entry = CatalogueEntryPage(title="Compare", slug="compare")
    with pytest.raises(ValidationError):
        entry.clean()


def test_last_confirmed_is_the_latest_section_date(catalogue):
    entry = catalogue.entries[0]
    entry.about_confirmed = date(2030, 5, 1)
    entry.save()
    assert entry.last_confirmed == date(2030, 5, 1)


def test_a_term_change_empties_the_page_cache(
    catalogue, monkeypatch, django_capture_on_commit_callbacks
):
    from pages.caching import invalidation

    emptied = []
    monkeypatch.setattr(invalidation, "invalidate", lambda: emptied.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        Term.objects.get(slug="mit").save()
    assert emptied


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, pytest.param(200, marks=pytest.mark.slow)])
def test_query_budgets_hold_at_any_size(client, django_assert_max_num_queries, count, settings):
    from pages.caching.shared import forget

    settings.SHARED_PARTS_CACHE = True  # as in production (test_query_budget.py)
    forget()
    home = build_home()
    world = build_catalogue(home, count=count)
    for entry in world.entries[1:5]:
        entry.integrations.add(world.entries[0])
        entry.save()
    client.get("/")
    four = "&".join(f"e=entry-{n}" for n in range(1, 5))
    # At most 10, as every public page (test_query_budget.py: MAX_UNCACHED). Where they go:
    # routing and restrictions (3), the terms once, the results, the facets' counts in one
    # query (finder.py: counts), an entry's vocabularies in one (entries.py: load_terms).
    budgets = {
        "/catalogue/": 10,
        "/catalogue/?category=publishing-system&licence=mit&policy=open-data&sort=relied-on": 10,
        "/catalogue/entry-1/": 10,
        f"/catalogue/compare/?{four}": 10,
        f"/catalogue/compare.csv?{four}": 10,
        "/catalogue/funding-needs/": 10,
        "/catalogue/catalogue.csv": 10,
        "/catalogue/catalogue.json": 10,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget, info=url):
            assert client.get(url).status_code == 200, url


def test_the_seed_has_the_catalogue_in_english_and_spanish(client, seeded):
    english = CatalogueEntryPage.objects.live().filter(locale__language_code="en")
    spanish = CatalogueEntryPage.objects.live().filter(locale__language_code="es")
    assert english.count() >= 25
    assert spanish.count() == english.count()
    ojs = english.get(slug="open-journal-systems")
    assert {e.slug for e in ojs.integrations.all()} == {"crossref", "doaj"}
    response = client.get("/catalogue/")
    assert len(titles(response)) == 20  # the first page of 25 or more
    es = client.get("/es/catalogo/")
    assert es.status_code == 200
    assert "Catálogo" in es.content.decode()
    assert (
        Term.objects.filter(locale__language_code="es").count()
        == Term.objects.filter(locale__language_code="en").count()
    )
    zenodo = client.get("/catalogue/zenodo/").content.decode()
    assert 'hreflang="es" href="http://localhost/es/catalogo/zenodo/"' in zenodo
    es_zenodo = client.get("/es/catalogo/zenodo/")
    assert es_zenodo.status_code == 200
    assert 'href="/es/catalogo/zenodo.json"' in es_zenodo.content.decode()
    assert EntryPolicy.objects.count() == 0  # no policy is in the seed's facts


def test_entries_are_found_by_site_search_sitemap_and_described(client, catalogue):
    entry = client.get("/catalogue/entry-1/").content.decode()
    assert re.search(r'rel="canonical" href="http://[^"]+/catalogue/entry-1/"', entry)
    assert '"Service"' in entry and '"Provider 1"' in entry
    index = client.get("/catalogue/").content.decode()
    assert '"Dataset"' in index and "catalogue.csv" in index
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/catalogue/entry-1/</loc>" in sitemap
    found = client.get("/search/?q=Entry 3").content.decode()
    assert 'href="/catalogue/entry-3/"' in found


def test_the_navigation_and_the_overview_link_to_the_catalogue(client, catalogue):
    html = client.get("/").content.decode()
    assert html.count('href="/catalogue/"') >= 2  # the navigation and the overview's section
    assert "Explore the catalogue" in html


def test_editors_open_the_catalogue_in_the_admin_and_preview_an_entry(admin_client, catalogue):
    entry = catalogue.entries[0]
    for url in [
        "/admin/snippets/catalogue/term/",
        "/admin/snippets/catalogue/term/add/",
        f"/admin/pages/add/catalogue/catalogueentrypage/{catalogue.index.pk}/",
        f"/admin/pages/{entry.pk}/edit/",
        f"/admin/pages/{catalogue.index.pk}/edit/",
    ]:
        assert admin_client.get(url).status_code == 200, url
    entry.summary = "An unsaved summary"
    entry.code_licences = [catalogue.terms["licence", "gpl-3-0"]]
    preview = entry.make_preview_request()
    html = preview.content.decode()
    assert "An unsaved summary" in html
    assert "Gpl 3 0" in html


def test_filtered_lists_and_comparisons_are_cached_and_emptied_on_publish(
    client, catalogue, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    urls = [
        "/catalogue/?category=publishing-system&sort=relied-on",
        "/catalogue/compare/?e=entry-2&e=entry-1",
        "/catalogue/compare/?e=entry-1&e=entry-2",
    ]
    first = {url: client.get(url) for url in urls}
    for url in urls:
        assert first[url]["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit" and again.content == first[url].content
    # The order of e= is the order of the columns: two entries, two cached pages.
    assert first[urls[1]].content != first[urls[2]].content
    # Free text, or more than four to compare, is never kept.
    assert client.get("/catalogue/?q=entry").get("X-Page-Cache") is None
    entry = catalogue.entries[0]
    with django_capture_on_commit_callbacks(execute=True):
        entry.title = "Entry one, renamed"
        entry.save_revision().publish()
    assert "Entry one, renamed" in client.get(urls[1]).content.decode()


def test_an_entry_relied_on_by_many_names_twelve_and_counts_the_rest(client, db):
    home = build_home()
    world = build_catalogue(home, count=20)
    first = world.entries[0]
    for entry in world.entries[1:]:
        entry.integrations.add(first)
        entry.save()
    html = client.get("/catalogue/entry-1/").content.decode()
    assert "and 7 more" in html


def test_the_spanish_catalogue_words_its_addresses_in_spanish(client, seeded):
    html = client.get("/es/catalogo/?e=zenodo&e=dspace").content.decode()
    assert 'href="/es/catalogo/comparar/?e=zenodo&amp;e=dspace"' in html
    assert 'href="/es/catalogo/necesidades-de-financiacion/"' in html
    compare = client.get("/es/catalogo/comparar/?e=zenodo&e=dspace").content.decode()
    assert compare.count('<th scope="col">') == 8 * 2
    assert "No declarado" in compare
    assert client.get("/es/catalogo/necesidades-de-financiacion/").status_code == 200
    assert client.get("/catalogue/comparar/?e=zenodo&e=dspace").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["", "?category=publishing-system", "?licence=mit&policy=open-data", "?legal_form=non-profit"],
)
def test_every_filters_counts_in_one_query_are_the_results_with_that_value(
    rf, catalogue, query, django_assert_num_queries
):
    """Finder.counts reads every filter's counts in one UNION; here each is counted the plain
    way, a query per filter, over the same results."""
    from collections import Counter

    from pages.catalogue.finder import FACETS, Finder

    index = CatalogueIndexPage.objects.get()
    finder = Finder(index, rf.get(f"/catalogue/{query}"))
    found = list(finder.found)
    with django_assert_num_queries(1):
        counts = finder.counts()
    for facet in FACETS:
        expected = Counter()
        for entry in found:
            if facet.param == "policy":
                values = set(
                    entry.policies.filter(status="available").values_list("policy", flat=True)
                )
            elif facet.field:
                term = getattr(entry, facet.field)
                values = {term.slug} if term else set()
            else:
                values = {t.slug for name in facet.relations for t in getattr(entry, name).all()}
            expected.update(values)
        assert counts[facet.param] == expected, facet.param
