"""Listings, a person's work, a publication's citation and the contact page's contacts and
blank form are rendered once per cache generation (`{% fragment %}`, `{% card %}`,
`{% apa_citation %}`; pages/caching/shared.py), not once per request, as in production. What a
reader must see: any change to what they show (a person's name, a post published or
unpublished, a catalogue term, a publication's title, a contact) is on the very next request, on
a page the cache did not hold; and an editor's preview shows the draft, never a kept copy, and
leaves nothing behind for readers. Where the kept parts pay off: after the first request, a
listing costs its own row only."""

import re
import time

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from conftest import (
    add_page,
    build_home,
    build_posts,
    build_publications,
    make_person,
    translate,
)
from pages.caching import shared
from pages.caching.shared import forget
from pages.contacts.forms import make_form_token
from pages.contacts.models import ContactMessage, ContactPurpose
from pages.links.models import Link, LinkCategory
from pages.models import NewsPage, PublicationPage, ResourcesPage
from pages.tests.cataloguing import build_catalogue
from pages.tests.test_preview import bare_form_data


@pytest.fixture(autouse=True)
def kept_per_generation(settings):
    """As in production: kept per generation (each test starts a new one)."""
    settings.SHARED_PARTS_CACHE = True
    forget()
    yield
    forget()


def html(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def ada_on_everything(site_tree, organisation):
    ada = make_person("Ada", "Lovelace", slug="ada")
    build_publications(site_tree.research, 2, start=3, indexed=False, authors=[ada])
    build_posts(site_tree.news, 2, start=3, indexed=False, tags=["grants"], authors=[ada])
    return ada


# Every page that shows Ada's name in a kept part: cards, her list of work, a citation.
SHOWING_ADA = [
    "/news/",
    "/news/?tag=grants",
    "/research/",
    "/people/ada/",
    "/research/publication-3/",
]


@pytest.mark.django_db
def test_a_persons_new_name_shows_on_every_listing_on_the_next_request(
    client, ada_on_everything, django_capture_on_commit_callbacks
):
    for url in SHOWING_ADA:
        for _ in range(2):  # worked out, then from what is kept
            assert "Lovelace" in html(client, url), url

    ada_on_everything.family_name = "Byron"
    with django_capture_on_commit_callbacks(execute=True):
        ada_on_everything.save()

    for url in SHOWING_ADA:
        page = html(client, url)
        assert "Byron" in page and "Lovelace" not in page, url
    # The APA citation names her the new way.
    assert "Byron, A." in html(client, "/research/publication-3/")


@pytest.mark.django_db
def test_a_post_published_or_unpublished_shows_in_the_news_on_the_next_request(
    client, ada_on_everything, django_capture_on_commit_callbacks
):
    for url in ("/news/", "/people/ada/"):
        html(client, url)
    post = NewsPage.objects.get(slug="post-4")
    post.title = "Grants announced"
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision().publish()
    for url in ("/news/", "/news/?tag=grants", "/people/ada/"):
        assert "Grants announced" in html(client, url), url

    with django_capture_on_commit_callbacks(execute=True):
        post.unpublish()
    for url in ("/news/", "/news/?tag=grants", "/people/ada/"):
        assert "Grants announced" not in html(client, url), url


@pytest.mark.django_db
def test_a_publications_new_title_shows_in_its_citation_and_the_research_listing(
    client, ada_on_everything, django_capture_on_commit_callbacks
):
    for url in ("/research/", "/research/publication-3/", "/research/publication-3/cite/bibtex/"):
        html(client, url)
    publication = PublicationPage.objects.get(slug="publication-3")
    publication.title = "Costs of open infrastructure"
    with django_capture_on_commit_callbacks(execute=True):
        publication.save_revision().publish()

    assert "Costs of open infrastructure" in html(client, "/research/")
    page = html(client, "/research/publication-3/")
    citation = page.split('id="citation-apa">', 1)[1].split("</p>", 1)[0]
    assert "Costs of open infrastructure" in citation
    assert "Costs of open infrastructure" in html(client, "/research/publication-3/cite/bibtex/")


@pytest.mark.django_db
def test_a_profile_comes_with_a_persons_first_published_work_and_goes_with_their_last(
    client, site_tree, organisation, django_capture_on_commit_callbacks
):
    """Who has a profile is kept per generation (PeopleIndexPage.people_by_slug): a person
    credited for the first time, or no longer credited anywhere, is seen on the next request."""
    grace = make_person("Grace", "Hopper", slug="grace")
    build_publications(site_tree.research, 1, start=3, indexed=False, authors=[grace])
    assert client.get("/people/ada/").status_code == 404
    html(client, "/people/grace/")
    html(client, "/people/grace/")  # kept

    ada = make_person("Ada", "Lovelace", slug="ada")
    (post,) = build_posts(site_tree.news, 1, start=3, indexed=False, authors=[ada])
    with django_capture_on_commit_callbacks(execute=True):
        post.save_revision().publish()  # as an editor's publish: a new generation
    assert "Lovelace" in html(client, "/people/ada/")

    publication = PublicationPage.objects.get(slug="publication-3")
    with django_capture_on_commit_callbacks(execute=True):
        publication.unpublish()
    assert client.get("/people/grace/").status_code == 404


@pytest.mark.django_db
def test_a_datasets_new_figures_are_in_its_files_on_the_next_request(
    client, site_tree, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """An impact page's data files are kept per generation (ImpactPage.data): an editor's
    published change is in the CSV, the JSON and the data package on the next request; until
    then a file costs the page's own row only."""
    from pages.tests.datasets import dataset

    impact = site_tree.impact
    impact.datasets = [dataset("grants", title="Grants tracked")]
    with django_capture_on_commit_callbacks(execute=True):
        impact.save_revision().publish()
    files = ["/impact/data/grants.csv", "/impact/data/grants.json", "/impact/data/datapackage.json"]
    html(client, "/")
    for url in files:
        assert "Grants tracked" in html(client, url), url
        with django_assert_max_num_queries(1, info=url):
            html(client, url)

    impact.refresh_from_db()
    impact.datasets = [
        dataset("grants", title="Grants funded", rows=(("2024", "514"), ("2025", "702")))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        impact.save_revision().publish()
    for url in files:
        text = html(client, url)
        assert "Grants funded" in text and "Grants tracked" not in text, url
    assert "702" in html(client, "/impact/data/grants.csv")


@pytest.mark.django_db
def test_a_renamed_catalogue_term_shows_in_the_filters_and_the_comparison_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    world = build_catalogue(build_home(), count=4)
    pages = ["/catalogue/", "/catalogue/?licence=mit", "/catalogue/compare/?e=entry-3&e=entry-1"]
    for url in pages:
        html(client, url)
    mit = world.terms["licence", "mit"]
    assert all(mit.name in html(client, url) for url in pages)

    mit.name = "Expat licence"
    with django_capture_on_commit_callbacks(execute=True):
        mit.save()
    for url in pages:
        assert "Expat licence" in html(client, url), url


@pytest.mark.django_db
def test_a_preview_shows_the_draft_and_leaves_readers_the_published_page(
    client, make_user, site_tree
):
    news = site_tree.news.specific
    editor = type(client)()
    editor.force_login(make_user("editor"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk])
    editor.post(url, bare_form_data(type(news), "Draft of the news", news.slug))
    heading = "<h1>Draft of the news</h1>"

    assert heading in editor.get(url).content.decode()  # before any reader
    # Nothing of the draft kept for readers, on the address the preview is made for.
    assert heading not in html(client, "/news/", HTTP_HOST="localhost")
    assert heading in editor.get(url).content.decode()  # and not the readers' copy


@pytest.mark.django_db
def test_an_initiatives_new_title_and_a_links_show_on_the_next_request(
    client, site_tree, organisation, django_capture_on_commit_callbacks
):
    add_page(site_tree.home, ResourcesPage, title="Resources", slug="resources")
    guides = LinkCategory.objects.create(name="Guides", slug="guides")
    link = Link.objects.create(
        title="Open data handbook", url="https://example.org/handbook", category=guides
    )
    pages = ["/", "/initiatives/", "/initiatives/initiative-1/", "/resources/"]
    for url in pages:
        html(client, url)
    initiative = site_tree.initiatives[0]
    initiative.title = "Sustaining open source"
    with django_capture_on_commit_callbacks(execute=True):
        initiative.save_revision().publish()
    for url in pages[:3]:
        assert "Sustaining open source" in html(client, url), url

    assert "Open data handbook" in html(client, "/resources/")
    link.title = "Open data guide"
    with django_capture_on_commit_callbacks(execute=True):
        link.save()
    page = html(client, "/resources/")
    assert "Open data guide" in page and "Open data handbook" not in page


# After the first request of a generation, a listing's kept part costs nothing: what is left
# is the page's own row (routing keeps which page an address names: home/models.py); a
# profile's person and a citation's text are kept too. The view restrictions cost nothing
# where the site has none (pages/translation/routing.py). The head's metadata (Scholar's tags
# included) and the breadcrumbs are kept with the content (site_tags.kept_for_the_page).
KEPT_BUDGETS = {
    "/news/": 1,
    "/news/?tag=grants&page=1": 1,
    "/research/": 1,
    "/research/?type=report&year=2024": 1,
    "/people/ada/": 1,
    "/research/publication-3/": 1,
    "/research/publication-3/cite/bibtex/": 1,
    "/news/post-3/": 1,
    "/": 0,
    "/initiatives/": 1,
    "/initiatives/initiative-1/": 1,
    "/impact/": 1,
    "/about/": 1,
    "/people/": 1,
    "/contact/": 1,
}


@pytest.mark.django_db
def test_the_contact_page_shows_a_new_contact_and_purpose_on_the_next_request_with_a_new_token(
    client, site_tree, contacts, django_capture_on_commit_callbacks
):
    first, second = html(client, "/contact/"), html(client, "/contact/")
    assert "Pat Press" in second and "Communications" in second
    token = re.compile(r'name="form_token" value="([^"]+)"')
    # The blank form is kept, its signed token is not: each reader's says when it was shown.
    assert token.search(first)[1] != token.search(second)[1]
    assert token.sub("", first) == token.sub("", second)

    contacts.press.name = "Pat Presswell"
    with django_capture_on_commit_callbacks(execute=True):
        contacts.press.save()
        ContactPurpose.objects.create(name="Partnerships", locale=contacts.press.locale)
    page = html(client, "/contact/")
    assert "Pat Presswell" in page and "Pat Press<" not in page
    assert ">Partnerships</option>" in page  # the form's purposes
    structured = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert any("Pat Presswell" in data for data in structured)


@pytest.mark.django_db
def test_a_refused_contact_post_shows_what_was_typed_and_the_next_reader_a_blank_form(
    client, site_tree, contacts
):
    html(client, "/contact/")  # the blank form kept
    refused = client.post(
        "/contact/",
        {
            "name": "Ada",
            "email": "not an address",
            "message": "Words I typed",
            "website": "",
            "form_token": make_form_token(issued_at=time.time() - 60),
        },
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert refused.status_code == 200
    assert "Words I typed</textarea>" in refused.content.decode()
    assert 'value="Ada"' in refused.content.decode()
    page = html(client, "/contact/")
    assert "Words I typed" not in page and 'value="Ada"' not in page
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_a_listing_once_kept_costs_its_own_row_only(
    client, ada_on_everything, contacts, django_assert_max_num_queries
):
    html(client, "/")
    for url, budget in KEPT_BUDGETS.items():
        html(client, url)
        with django_assert_max_num_queries(budget, info=url):
            html(client, url)


@pytest.mark.django_db
def test_the_catalogue_once_kept_costs_its_own_row_only(client, django_assert_max_num_queries):
    build_catalogue(build_home(), count=4)
    html(client, "/")
    for url, budget in (
        ("/catalogue/?licence=mit&sort=name", 1),
        ("/catalogue/compare/?e=entry-1&e=entry-2", 1),
        ("/catalogue/entry-2/", 1),
    ):
        html(client, url)
        with django_assert_max_num_queries(budget, info=url):
            html(client, url)


@pytest.mark.django_db
def test_an_entrys_published_change_and_its_history_show_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    world = build_catalogue(build_home(), count=2)
    entry = next(entry for entry in world.entries if entry.slug == "entry-1")
    licence = entry.code_licences.get()
    assert licence.name in html(client, "/catalogue/entry-1/")
    html(client, "/catalogue/entry-1/")  # kept

    with django_capture_on_commit_callbacks(execute=True):
        licence.name = "Expat licence"
        licence.save()
    assert "Expat licence" in html(client, "/catalogue/entry-1/")

    entry.summary = "A repository for every discipline"
    with django_capture_on_commit_callbacks(execute=True):
        entry.save_revision().publish()
    page = html(client, "/catalogue/entry-1/")
    assert "A repository for every discipline" in page
    assert "What changed" in page


@pytest.mark.django_db
def test_past_the_memory_bound_fragments_are_worked_out_per_request(
    client, ada_on_everything, monkeypatch, django_assert_max_num_queries
):
    """A crawler asking for every filter and page number must not grow a process without end:
    once the kept fragments reach their size bound, a listing not kept yet costs its queries on
    every request, and one already kept is still served from memory."""
    html(client, "/news/")
    monkeypatch.setattr(shared, "MAX_FRAGMENT_CHARACTERS", 1)
    with django_assert_max_num_queries(KEPT_BUDGETS["/news/"], info="/news/"):
        html(client, "/news/")
    html(client, "/research/")
    # Worked out again: more queries than its own row.
    with (
        pytest.raises(pytest.fail.Exception),
        django_assert_max_num_queries(KEPT_BUDGETS["/research/"]),
    ):
        html(client, "/research/")


@pytest.mark.django_db
def test_a_page_made_private_is_refused_on_the_next_request_and_public_again_after(
    client, site_tree, django_capture_on_commit_callbacks
):
    """Which page an address names, and that no page is private, are kept per generation:
    a restriction on an ancestor must still stop the next reader, and its removal let them in."""
    url = "/initiatives/initiative-1/"
    html(client, url)
    html(client, url)  # kept: the route, and that the site has no restriction
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=site_tree.index, restriction_type=PageViewRestriction.LOGIN
        )
    refused = client.get(url)
    assert refused.status_code == 302 and "/login/" in refused["Location"]

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert site_tree.initiatives[0].title in html(client, url)


@pytest.mark.django_db
def test_a_moved_or_renamed_page_is_at_its_new_address_on_the_next_request(
    client, site_tree, django_capture_on_commit_callbacks
):
    initiative = site_tree.initiatives[0]
    html(client, "/initiatives/initiative-1/")
    html(client, "/initiatives/initiative-1/")  # which page the address names, kept

    initiative.slug = "sustaining-open-source"
    with django_capture_on_commit_callbacks(execute=True):
        initiative.save_revision().publish()
    old = client.get("/initiatives/initiative-1/")  # Wagtail's redirect from the old slug
    assert old.status_code == 301
    assert old["Location"] == "/initiatives/sustaining-open-source/"
    assert initiative.title in html(client, "/initiatives/sustaining-open-source/")

    # Code that renames a page without publishing sets no new generation: the kept address
    # no longer matches the page's, and is looked up again.
    second = site_tree.initiatives[1]
    html(client, "/initiatives/initiative-2/")
    html(client, "/initiatives/initiative-2/")  # kept
    second.slug = "renamed-in-the-shell"
    second.save()
    assert client.get("/initiatives/initiative-2/").status_code == 404
    assert second.title in html(client, "/initiatives/renamed-in-the-shell/")


def main_nav(page):
    return re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', page, re.S)[1]


@pytest.mark.django_db
def test_the_kept_menu_marks_each_pages_own_item_and_shows_a_new_menu_page(
    client, site_tree, django_capture_on_commit_callbacks
):
    """The main navigation is kept per generation for each item it can mark: every page still
    gets its own mark, and a page published into the menu is in it on the next request."""
    for _ in range(2):  # worked out, then kept
        impact, initiative, home = (
            main_nav(html(client, url)) for url in ("/impact/", "/initiatives/initiative-1/", "/")
        )
        assert 'href="/impact/" aria-current="page"' in impact
        assert "aria-current" not in initiative.replace('href="/search/"', "")
        assert 'href="/initiatives/" class="is-ancestor"' in initiative
        assert 'href="/" aria-current="page"' in home and 'href="/impact/" aria-' not in home

    library = add_page(site_tree.home, ResourcesPage, title="Library", slug="library")
    library.show_in_menus = True
    with django_capture_on_commit_callbacks(execute=True):
        library.save_revision().publish()
    assert ">Library</a>" in main_nav(html(client, "/impact/"))


@pytest.mark.django_db
def test_a_kept_language_switcher_links_a_new_translation_on_the_next_request(
    client, site_tree, django_capture_on_commit_callbacks
):
    url = "/initiatives/initiative-1/"
    for _ in range(2):  # worked out, then kept
        assert 'href="/es/" hreflang="es"' in html(client, url)  # no translation yet

    with django_capture_on_commit_callbacks(execute=True):
        translate(site_tree.home)
        spanish_index = translate(site_tree.index, slug="iniciativas")
        translate(site_tree.initiatives[0], slug="iniciativa-1")
    assert spanish_index.live
    assert 'href="/es/iniciativas/iniciativa-1/" hreflang="es"' in html(client, url)
