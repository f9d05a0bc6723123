"""Every public page costs a fixed number of SQL queries, however many initiatives the site has:
the same budget with 10 items as with 200 (enough for a query per item to show as 190 more).
`make bench` prints each page's queries with 1,000 of each (bench/page_speed.py).

The budgets are for an uncached render (the page cache is off in tests unless a test turns it
on). They are exact for today's templates: lower them when a change saves a query, never raise
them quietly. Where the queries go: docs/caching.md. English and Spanish came with two more on
a page (its versions in each language for hreflang and the switcher; the tagline and footer in
the page's language). The 404 page costs the routing's lookup and the redirects' (its wording
and settings are the kept copies a page has).

What every page shows (the site and its home page, the organisation's settings and wording, the
navigation, a page's versions in each language) is worked out once per cache generation, as in
production (pages/caching/shared.py): the first request of a test pays for it, the budgets are
for every page after. No page type may cost more than MAX_UNCACHED."""

import pytest
from wagtail.models import Page, PageViewRestriction

from conftest import (
    add_page,
    build_initiatives,
    build_posts,
    build_publications,
    indexing,
    make_person,
    translate,
)
from pages.caching.shared import forget
from pages.models import InitiativePage, StandardPage
from pages.models.base import OneQueryViewRestrictions, public_pages

MAX_UNCACHED = 10


@pytest.fixture(autouse=True)
def shared_parts_kept(settings):
    """As in production: shared parts kept per generation (each test starts a new one)."""
    settings.SHARED_PARTS_CACHE = True
    forget()
    yield
    forget()


BUDGETS = {
    "/": 5,
    "/initiatives/": 6,
    "/initiatives/?page=2": 5,
    "/initiatives/initiative-5/": 5,
    "/impact/": 5,
    "/contact/": 6,
    "/contact/thanks/": 4,
    "/about/": 4,
    "/no-such-page/": 2,
}


def test_no_page_type_is_over_the_budget_of_an_uncached_page():
    assert max([*BUDGETS.values(), *SECTION_BUDGETS.values()]) <= MAX_UNCACHED


def check_budgets(client, django_assert_max_num_queries):
    client.get("/")  # Wagtail's site-root lookup is cached after the first request
    for url, budget in BUDGETS.items():
        with django_assert_max_num_queries(budget, info=url):
            response = client.get(url)
        assert response.status_code == (404 if "no-such" in url else 200), url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "initiatives",
    [10, pytest.param(200, marks=pytest.mark.slow)],
)
def test_every_page_stays_within_its_budget(
    client, site_tree, contacts, feature, django_assert_max_num_queries, initiatives
):
    build_initiatives(
        site_tree.index, initiatives - len(site_tree.initiatives), start=4, indexed=False
    )
    feature(site_tree.home, *site_tree.initiatives)
    check_budgets(client, django_assert_max_num_queries)


# Spanish pages: exactly the budgets of their English twins, whatever the size of the site (the
# home page in the request's language is found in one query: pages/translation/routing.py).
SPANISH_TWINS = {
    "/es/": "/",
    "/es/iniciativas/": "/initiatives/",
    "/es/iniciativas/?page=2": "/initiatives/?page=2",
    "/es/iniciativas/iniciativa-5/": "/initiatives/initiative-5/",
    "/es/impacto/": "/impact/",
    "/es/contacto/": "/contact/",
    "/es/contacto/gracias/": "/contact/thanks/",
    "/es/no-existe/": "/no-such-page/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("initiatives", [10, pytest.param(200, marks=pytest.mark.slow)])
def test_spanish_pages_cost_what_english_ones_do(
    client, site_tree, contacts, feature, django_assert_max_num_queries, initiatives
):
    built = build_initiatives(
        site_tree.index, initiatives - len(site_tree.initiatives), start=4, indexed=False
    )
    feature(site_tree.home, *site_tree.initiatives)
    translate(site_tree.home, title="Inicio")
    index = translate(site_tree.index, slug="iniciativas")
    with indexing(indexed=False):
        for n, initiative in enumerate(site_tree.initiatives, start=1):
            translate(initiative, title=f"Iniciativa {n}", slug=f"iniciativa-{n}")
        # The rest as the rows a published translation leaves (the same page, locale and
        # translation key), without the revision and publish steps that cost a second a dozen.
        for n, initiative in enumerate(built, start=len(site_tree.initiatives) + 1):
            add_page(
                index,
                InitiativePage,
                title=f"Iniciativa {n}",
                slug=f"iniciativa-{n}",
                locale=index.locale,
                translation_key=initiative.translation_key,
                summary=initiative.summary,
                status=initiative.status,
                body=initiative.body.raw_data,
                first_published_at=initiative.first_published_at,
            )
    translate(site_tree.impact, slug="impacto")
    translate(site_tree.contact, slug="contacto")
    translate(contacts.general.purpose, name="General (es)")
    client.get("/es/")
    for url, twin in SPANISH_TWINS.items():
        with django_assert_max_num_queries(BUDGETS[twin], info=url):
            response = client.get(url)
        assert response.status_code == (404 if "no-existe" in url else 200), url
        assert '<html lang="es">' in response.content.decode(), url


# What the savings rest on: the one-statement checks answer as Wagtail's own do.


@pytest.fixture
def restricted_tree(site_tree):
    """A private branch (login), a password page, and a public page between them."""
    locked = add_page(site_tree.home, StandardPage, title="Members", slug="members")
    inner = add_page(locked, StandardPage, title="Minutes", slug="minutes")
    secret = add_page(site_tree.home, StandardPage, title="Draft plan", slug="plan")
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-words"
    )
    alias = locked.create_alias(parent=site_tree.about, update_slug="members-alias")
    return site_tree, locked, inner, secret, alias


@pytest.mark.django_db
def test_public_pages_keeps_exactly_what_wagtails_public_keeps(restricted_tree):
    expected = set(Page.objects.live().public().values_list("pk", flat=True))
    assert set(public_pages(Page.objects.live()).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
def test_view_restrictions_in_one_query_match_wagtails(restricted_tree, django_assert_num_queries):
    site_tree, locked, inner, secret, alias = restricted_tree
    for page in Page.objects.all():
        ours = page.specific
        if not isinstance(ours, OneQueryViewRestrictions):
            continue  # Wagtail's root
        theirs = set(Page.get_view_restrictions(ours).values_list("pk", flat=True))
        with django_assert_num_queries(1):
            mine = set(ours.get_view_restrictions().values_list("pk", flat=True))
        assert mine == theirs, page.title


@pytest.mark.django_db
def test_restricted_pages_stay_restricted_when_served(client, restricted_tree):
    site_tree, locked, inner, secret, alias = restricted_tree
    for url in ("/members/", "/members/minutes/", "/about/members-alias/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    response = client.get("/plan/")
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert client.get("/about/").status_code == 200


@pytest.mark.django_db
def test_the_one_query_route_serves_what_wagtails_route_serves(client, site_tree):
    draft = add_page(site_tree.home, StandardPage, title="Draft", slug="draft", live=False)
    add_page(draft, StandardPage, title="Child of a draft", slug="child")
    assert client.get("/draft/").status_code == 404
    assert client.get("/draft/child/").status_code == 200  # as in Wagtail: only the page's own
    assert client.get("/contact/thanks/").status_code == 200  # a routable page's sub-path
    assert client.get("/contact/no-such-route/").status_code == 404
    assert client.get("/initiatives/initiative-1/extra/").status_code == 404


# Research and news: the same budget with 10 items as with 200, whichever filter is chosen.
SECTION_BUDGETS = {
    "/research/": 10,
    "/research/?page=2": 9,
    "/research/?type=report&year=2024": 9,
    "/research/publication-5/": 8,
    "/research/publication-5/cite/bibtex/": 4,
    "/news/": 10,
    "/news/?tag=grants&page=2": 9,
    "/news/post-5/": 10,
    "/people/": 5,
    "/people/ada/": 10,
}


@pytest.mark.django_db
@pytest.mark.parametrize("items", [10, pytest.param(200, marks=pytest.mark.slow)])
def test_research_and_news_stay_within_their_budgets(
    client, site_tree, organisation, django_assert_max_num_queries, items
):
    ada = make_person("Ada", "Lovelace", slug="ada")
    grace = make_person("Grace", "Hopper")
    build_publications(site_tree.research, items - 2, start=3, indexed=False, authors=[ada, grace])
    build_posts(
        site_tree.news, items - 2, start=3, indexed=False, tags=["funding", "grants"], authors=[ada]
    )
    client.get("/")
    for url, budget in SECTION_BUDGETS.items():
        with django_assert_max_num_queries(budget, info=url):
            response = client.get(url)
        assert response.status_code == 200, url


# The impact page with datasets: one query for the library links their sources name and one
# for the pages, whatever the number of datasets; their files need only the page and those.
# (The view restrictions cost none: the site has none, pages/translation/routing.py.)
IMPACT_WITH_DATASETS = 6
DATASET_FILE = 4


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_the_impact_page_costs_the_same_with_any_number_of_datasets(
    client, site_tree, django_assert_num_queries, count
):
    from pages.tests.datasets import dataset

    impact = site_tree.impact
    impact.datasets = [
        dataset(f"figures-{n}", source_page=site_tree.about if n % 2 else None)
        for n in range(count)
    ]
    impact.save_revision().publish()
    client.get("/")
    with django_assert_num_queries(IMPACT_WITH_DATASETS):
        page = client.get("/impact/")
    assert page.content.decode().count("<svg") == count
    for url in ("/impact/data/figures-1.csv", "/impact/data/datapackage.json"):
        with django_assert_num_queries(DATASET_FILE, info=url):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_what_every_page_shows_changes_on_the_next_request_once_a_change_commits(
    client, site_tree, organisation, django_capture_on_commit_callbacks
):
    """The kept copies (pages/caching/shared.py) last one cache generation: saving the
    settings or publishing a page in the navigation sets a new one once committed."""
    from pages.models import OrganisationSettings

    assert "Renamed Organisation" not in client.get("/about/").content.decode()
    org = OrganisationSettings.load()
    org.organisation_name = "Renamed Organisation"
    with django_capture_on_commit_callbacks(execute=True):
        org.save()
    assert "Renamed Organisation" in client.get("/about/").content.decode()

    about = site_tree.about
    about.title = "Who we are now"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    assert "Who we are now" in client.get("/impact/").content.decode()  # in the navigation
