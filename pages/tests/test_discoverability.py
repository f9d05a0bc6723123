"""How the site is found: its own search, the sitemap and robots.txt, each page's metadata
(description, canonical, Open Graph, JSON-LD), redirects from old addresses, and the feed."""

import json
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from conftest import add_page, paragraph
from pages.models import InitiativePage, ResourcesPage, StandardPage

pytestmark = pytest.mark.django_db

PAGE_TYPES = {
    "/": "Organization",
    "/initiatives/": "WebPage",
    "/initiatives/initiative-1/": "WebPage",
    "/impact/": "WebPage",
    "/contact/": "WebPage",
    "/about/": "WebPage",
    "/resources/": "WebPage",
}


@pytest.fixture
def searchable(site_tree):
    """The site, plus a draft and a private page that share the words searched for. Nothing
    here rebuilds the search index: pages are found because publishing indexes them."""
    commons = add_page(
        site_tree.index,
        InitiativePage,
        title="Funding commons",
        slug="funding-commons",
        summary="How shared infrastructure is sustained.",
        body=[paragraph("<p>To be written.</p>")],
        live=False,
    )
    # Published as an editor publishes: the words searched for come with the published revision.
    commons.summary = "How pooled funding sustains shared infrastructure."
    commons.body = [paragraph("<p>Pooled funding keeps repositories alive.</p>")]
    commons.save_revision().publish()
    add_page(
        site_tree.home,
        StandardPage,
        title="Unpublished funding notes",
        slug="draft-notes",
        body=[paragraph("<p>Pooled funding draft.</p>")],
        live=False,
    )
    private = add_page(
        site_tree.home,
        StandardPage,
        title="Board funding papers",
        slug="board",
        body=[paragraph("<p>Pooled funding, confidential.</p>")],
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    site_tree.about.save_revision().publish()  # a last-published date for the sitemap
    return site_tree


# Search


def test_search_finds_pages_by_words_in_their_body_and_marks_them(client, searchable):
    html = client.get("/search/?q=pooled").content.decode()
    assert "Funding commons" in html
    assert "<mark>pooled</mark>" in html.lower()
    assert "1 page found" in html


def test_search_never_returns_drafts_or_private_pages(client, searchable):
    html = client.get("/search/?q=funding").content.decode()
    assert 'href="/initiatives/funding-commons/"' in html
    assert "draft-notes" not in html and "Unpublished" not in html
    assert 'href="/board/"' not in html and "Board" not in html


def test_search_helps_when_nothing_matches_and_bounds_the_query(client, searchable):
    html = client.get("/search/?q=zyxwvu").content.decode()
    assert "No pages match" in html and 'href="/"' in html
    long = client.get("/search/?q=" + "funding " * 20_000)
    assert long.status_code == 200
    assert "Only the first 200 characters" in long.content.decode()
    assert client.get("/search/").status_code == 200


def test_search_escapes_what_was_typed(client, searchable):
    html = client.get("/search/?q=<script>alert(1)</script>").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_search_results_are_paginated(client, site_tree):
    from conftest import build_initiatives

    build_initiatives(site_tree.index, 25, start=10)
    first = client.get("/search/?q=initiative").content.decode()
    assert "Page 1 of" in first and 'href="?q=initiative&amp;page=2"' in first


# Sitemap and robots.txt


def test_the_sitemap_lists_exactly_the_live_public_pages(client, searchable):
    xml = client.get("/sitemap.xml").content.decode()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", xml))
    home = searchable.home
    expected = {p.get_full_url() for p in Page.objects.live().public().descendant_of(home, True)}
    assert listed == expected
    assert re.search(r"<loc>http://localhost/about/</loc><lastmod>\d{4}-\d\d-\d\d", xml)
    assert not any("draft-notes" in url or "/board/" in url for url in listed)


def test_robots_txt_points_at_the_sitemap(client, site_tree):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://localhost/sitemap.xml" in text  # the default Site's address
    assert "Disallow: /admin/" in text


# Metadata


@pytest.mark.parametrize("path", list(PAGE_TYPES))
def test_every_page_type_describes_itself(client, site_tree, organisation, path):
    add_page(site_tree.home, ResourcesPage, title="Resources", slug="resources")
    html = client.get(path).content.decode()
    assert re.search(r"<title>[^<]+</title>", html)
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert description and description.group(1).strip()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert canonical.endswith(path)
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'<meta property="{prop}" content="' in html, prop
    assert '<meta name="twitter:card"' in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = [json.loads(block) for block in blocks]
    types = {item["@type"] for item in data}
    assert PAGE_TYPES[path] in types
    if path != "/":
        crumbs = next(item for item in data if item["@type"] == "BreadcrumbList")
        assert crumbs["itemListElement"][-1]["item"] == canonical


def test_the_description_falls_back_to_the_summary(client, site_tree):
    html = client.get("/initiatives/initiative-1/").content.decode()
    assert '<meta name="description" content="Summary of initiative 1.">' in html


def test_the_social_image_falls_back_to_the_site_default(client, site_tree, organisation):
    from conftest import make_image

    organisation.social_image = make_image("Default card")
    organisation.save()
    html = client.get("/about/").content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith("http://") and image.endswith(".jpg")
    assert '<meta name="twitter:card" content="summary_large_image">' in html


# Redirects


def test_a_changed_slug_redirects_the_old_address(
    client, site_tree, django_capture_on_commit_callbacks
):
    about = site_tree.about
    about.slug = "who-we-are"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    response = client.get("/about/")
    assert response.status_code == 301 and response["Location"].endswith("/who-we-are/")


def test_old_site_addresses_import_from_csv(client, site_tree):
    source = Path(settings.BASE_DIR) / "docs" / "old-site-redirects.csv"
    call_command("import_old_redirects", str(source), stdout=StringIO())
    call_command("import_old_redirects", str(source), stdout=StringIO())  # again: no twins
    # Two addresses, and the old site's posts by the rule /blog/* -> /news/*.
    assert Redirect.objects.count() == 2 + len(site_tree.posts)
    response = client.get("/our-work/")
    assert response.status_code == 301 and response["Location"].endswith("/initiatives/")
    assert client.get("/contact-us/")["Location"].endswith("/contact/")
    for old in ("/blog/post-1/", "/blog/post-1"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"].endswith("/news/post-1/")
    assert client.get("/blog/no-such-post/").status_code == 404


def test_a_section_rule_with_no_section_to_point_at_is_reported(tmp_path, site_tree):
    source = tmp_path / "old.csv"
    source.write_text("from,to\n/stories/*,/no-such-section/*\n")
    errors = StringIO()
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_old_redirects", str(source), stdout=StringIO(), stderr=errors)
    assert "no live page at '/no-such-section/*' for '/stories/*'" in errors.getvalue()
    assert not Redirect.objects.exists()


def test_an_old_address_without_a_page_is_reported_and_the_rest_imported(tmp_path, site_tree):
    source = tmp_path / "old.csv"
    source.write_text("from,to\n/team/,/no-such-page/\n/our-work/,/initiatives/\n")
    with pytest.raises(CommandError, match="1 row"):
        call_command("import_old_redirects", str(source), stdout=StringIO(), stderr=StringIO())
    assert list(Redirect.objects.values_list("old_path", flat=True)) == ["/our-work"]


# The feed, the 404 page


def test_the_initiatives_feed_lists_live_public_initiatives_newest_first(client, searchable):
    response = client.get("/feeds/initiatives/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")]
    assert titles[0] == "Funding commons"
    assert "Unpublished funding notes" not in titles and "Board funding papers" not in titles
    home = client.get("/").content.decode()
    assert 'type="application/atom+xml"' in home and 'href="/feeds/initiatives/"' in home


def test_the_404_page_offers_search(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'role="search"' in response.content.decode()
