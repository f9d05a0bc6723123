"""News at /news/, the people behind it and the research at /people/, and both sections' feeds
and search."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import PageViewRestriction

from conftest import build_posts, make_person, world
from pages.models import NewsAuthor, PublicationAuthor

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def titles(html):
    return re.findall(r'<h[23] class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@world
def news(site_tree, organisation):
    index = site_tree.news
    for post in site_tree.posts:
        post.delete()
    ada = make_person("Ada", "Lovelace", slug="ada", role="Research lead")
    posts = build_posts(index, 3, authors=[ada])
    posts[0].tags.add("Infra Finder")
    posts[0].save_revision().publish()
    return index, posts, ada


def test_the_index_lists_posts_newest_first_with_date_authors_and_tags(client, news):
    html = client.get("/news/").content.decode()
    assert titles(html) == ["Post 3", "Post 2", "Post 1"]
    card = html[html.index("Post 3") :]
    assert '<time datetime="2024-01-04">4 January 2024</time>' in html
    assert 'By Invest in Open Infrastructure and <a href="/people/ada/">Ada Lovelace</a>' in card
    assert '<a href="/news/?tag=funding">funding</a>' in card


def test_the_tag_filter_is_plain_links_and_keeps_to_the_tag(client, news):
    html = client.get("/news/").content.decode()
    assert '<a href="/news/?tag=infra-finder">Infra Finder</a>' in html
    filtered = client.get("/news/?tag=infra-finder").content.decode()
    assert titles(filtered) == ["Post 1"]
    assert "Posts tagged “Infra Finder”: 1" in filtered
    assert 'href="/news/?tag=infra-finder" aria-current="true"' in filtered


@pytest.mark.parametrize("tag", ["no-such-tag", "x" * 40, "%3Cscript%3E"])
def test_an_unknown_tag_shows_all_the_news_and_says_so(client, news, tag):
    response = client.get(f"/news/?tag={tag}")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(titles(html)) == 3 and "No post has that tag" in html
    assert "<script>" not in html


def test_the_index_paginates_and_keeps_the_tag(client, news):
    index = news[0]
    build_posts(index, 12, start=4, tags=["funding", "grants"])
    assert len(titles(client.get("/news/").content.decode())) == 10
    filtered = client.get("/news/?tag=grants").content.decode()
    assert 'href="?tag=grants&amp;page=2"' in filtered
    assert titles(client.get("/news/?tag=grants&page=2").content.decode()) == ["Post 5", "Post 4"]


def test_a_post_shows_its_authors_tags_and_related_pages(client, news, site_tree):
    post = news[1][0]
    post.related_publications = [site_tree.publications[0]]
    post.related_initiatives = [site_tree.initiatives[0]]
    post.save_revision().publish()
    html = client.get("/news/post-1/").content.decode()
    assert html.count("<h1>") == 1
    assert '<a href="/news/?tag=infra-finder">Infra Finder</a>' in html
    assert '<a href="/people/ada/">Ada Lovelace</a>' in html
    assert 'href="/research/publication-1/">Publication 1</a>' in html
    assert 'href="/initiatives/initiative-1/">Initiative 1</a>' in html


def test_drafts_and_private_posts_stay_out_of_the_index_and_its_tags(client, news):
    index, posts, _ = news
    posts[0].unpublish()
    PageViewRestriction.objects.create(page=posts[1], restriction_type=PageViewRestriction.LOGIN)
    html = client.get("/news/").content.decode()
    assert titles(html) == ["Post 3"]
    assert "infra-finder" not in html


# People


def test_people_with_published_work_are_listed_and_each_has_a_profile(client, news):
    ada = news[2]
    make_person("Nobody", "Unpublished", slug="nobody")
    html = client.get("/people/").content.decode()
    assert '<a href="/people/ada/">Ada Lovelace</a>' in html and "Unpublished" not in html
    profile = client.get("/people/ada/").content.decode()
    assert "<h1>Ada Lovelace</h1>" in profile and "Research lead" in profile
    assert titles(profile) == ["Post 3", "Post 2", "Post 1"]
    assert client.get("/people/nobody/").status_code == 404
    assert client.get("/people/no-one/").status_code == 404
    ada.orcid = "0000-0002-1825-0097"
    ada.save()
    profile = client.get("/people/ada/").content.decode()
    assert '<a href="https://orcid.org/0000-0002-1825-0097">' in profile


def test_a_profile_lists_publications_too(client, news, site_tree):
    ada = news[2]
    publication = site_tree.publications[0]
    publication.authors.add(PublicationAuthor(person=ada, sort_order=1))
    publication.save_revision().publish()
    profile = client.get("/people/ada/").content.decode()
    assert "Publication 1" in profile and "Publications" in profile


def test_without_a_people_page_names_are_not_links(client, news, site_tree):
    site_tree.people.unpublish()
    html = client.get("/news/").content.decode()
    assert "Ada Lovelace" in html and 'href="/people/ada/"' not in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
    ],
)
def test_an_orcid_id_is_stored_plain_however_it_was_pasted(db, typed, stored):
    person = make_person(orcid="")
    person.orcid = typed
    person.full_clean()
    assert person.orcid == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0000-0002-1825-0098", "does not match the others"),
        ("0000-0002-1825", "16 characters in four groups"),
        ("orcid", "16 characters in four groups"),
    ],
)
def test_an_orcid_id_with_a_typing_mistake_is_refused(db, typed, message):
    person = make_person(orcid="")
    person.orcid = typed
    with pytest.raises(Exception, match=message):
        person.full_clean()


def test_two_people_cannot_share_a_profile_address(db):
    make_person("Ada", "Lovelace")
    twin = make_person("Ada", "Lovelace", slug="ada-lovelace-2")
    twin.slug = "ada-lovelace"
    with pytest.raises(Exception, match="Ada Lovelace has this address already"):
        twin.full_clean()


# Feeds and search


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_news_feed_is_atom_with_authors_and_tags_newest_first(client, news):
    root = feed(client, "/feeds/news/")
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id").text
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Post 3", "Post 2", "Post 1"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://localhost/news/post-3/"
    assert first.find(f"{ATOM}author/{ATOM}name").text == (
        "Invest in Open Infrastructure, Ada Lovelace"
    )
    assert first.find(f"{ATOM}published").text.startswith("2024-01-04")
    assert [c.get("term") for c in entries[-1].findall(f"{ATOM}category")] == [
        "funding",
        "Infra Finder",
    ]
    html = client.get("/news/").content.decode()
    assert 'type="application/atom+xml" title="News (Atom feed)" href="/feeds/news/"' in html


def test_the_research_feed_is_atom_newest_first(client, site_tree):
    root = feed(client, "/feeds/research/")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Publication 1", "Publication 2"]
    assert entries[0].find(f"{ATOM}summary").text == "Abstract of publication 1."
    html = client.get("/research/").content.decode()
    assert 'title="Research (Atom feed)" href="/feeds/research/"' in html


def test_drafts_never_reach_a_feed(client, news):
    news[1][2].unpublish()
    root = feed(client, "/feeds/news/")
    assert [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")] == [
        "Post 2",
        "Post 1",
    ]


def search(client, words):
    return client.get(f"/search/?q={words}").content.decode()


# As in production (ioisite/settings/production.py): a save queues the page's indexing as a
# task in the database, and the task worker indexes what was committed, related rows (tags,
# authors) included. Transactional: the worker closes its database connection between tasks.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_search_finds_a_publication_by_its_abstract_and_a_post_by_its_tag(client, news, site_tree):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        publication = site_tree.publications[1]
        publication.abstract = "How consortia share the costs of repositories."
        publication.save_revision().publish()
        first, _, third = news[1]
        first.tags.add("Preprints")
        first.save_revision().publish()
        grace = make_person("Grace", "Hopper", slug="grace")
        third.authors.add(NewsAuthor(person=grace, sort_order=2))
        third.save_revision().publish()
        assert "Publication 2" not in search(client, "consortia")  # queued, not indexed yet
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert "Publication 2" in search(client, "consortia")
    found = search(client, "Preprints")
    assert "Post 1" in found and "Post 2" not in found
    by_author = search(client, "Hopper")
    assert "Post 3" in by_author and "Post 1" not in by_author


def test_the_sitemap_lists_both_sections(client, news, site_tree):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/research/", "/research/publication-1/", "/news/", "/news/post-2/", "/people/"):
        assert f"<loc>http://localhost{path}</loc>" in xml


def test_posts_are_in_the_api_with_their_tags_and_authors(client, news):
    response = client.get("/api/v2/pages/?type=pages.NewsPage&fields=tags,authors,summary")
    assert response.status_code == 200
    items = {item["title"]: item for item in response.json()["items"]}
    assert sorted(items["Post 1"]["tags"]) == ["Infra Finder", "funding"]
    assert [a["name"] for a in items["Post 1"]["authors"]] == [
        "Invest in Open Infrastructure",
        "Ada Lovelace",
    ]
    draft = news[1][2]
    draft.unpublish()
    titles = [i["title"] for i in client.get("/api/v2/pages/?type=pages.NewsPage").json()["items"]]
    assert "Post 3" not in titles
