"""Every page type renders for the public with its fields, in a page a screen reader can use."""

import re

import pytest

from conftest import build_initiatives

pytestmark = pytest.mark.django_db


def h1s(html):
    return re.findall(r"<h1[\s>]", html)


def render(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert len(h1s(html)) == 1, f"{url} must have exactly one h1"
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    return html


def test_home_page_shows_the_overview(client, site_tree, organisation):
    html = render(client, "/")
    assert "<h1>Open infrastructure that lasts</h1>" in html
    assert "We help institutions invest in open infrastructure." in html
    assert "How we work, in brief." in html
    assert "<title>Invest in Open Infrastructure: Evidence and funding" in html
    assert 'aria-label="Breadcrumb"' not in html


def test_initiative_index_lists_its_live_children(client, site_tree):
    site_tree.initiatives[2].unpublish()
    html = render(client, "/initiatives/")
    assert "<h1>Our work</h1>" in html
    assert "Three strands of work." in html
    assert 'href="/initiatives/initiative-1/">Initiative 1</a>' in html
    assert "Summary of initiative 2." in html
    assert "Initiative 3" not in html


def test_initiative_index_is_paginated(client, site_tree):
    build_initiatives(site_tree.index, 12, start=4)  # 15 in all, 12 a page

    first = render(client, "/initiatives/")
    second = render(client, "/initiatives/?page=2")
    beyond = render(client, "/initiatives/?page=99")
    junk = render(client, "/initiatives/?page=abc")

    assert first.count('class="card"') == 12 and "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first
    assert second.count('class="card"') == 3 and 'rel="prev"' in second
    assert "Page 2 of 2" in beyond  # past the end: the last page, not an error
    assert "Page 1 of 2" in junk


def test_initiative_page_shows_its_fields(client, site_tree):
    initiative = site_tree.initiatives[0]
    initiative.start_date = "2024-01-15"
    initiative.related_links = [
        {
            "type": "link",
            "value": {"page": None, "url": "https://example.org/r", "title": "Report"},
        },
        {"type": "link", "value": {"page": site_tree.about.pk, "url": "", "title": ""}},
    ]
    initiative.call_to_action = [
        {
            "type": "call_to_action",
            "value": {
                "heading": "Work with us",
                "text": "Tell us what you need.",
                "link": {"page": site_tree.contact.pk, "url": "", "title": "Get in touch"},
            },
        }
    ]
    initiative.save_revision().publish()

    html = render(client, "/initiatives/initiative-1/")

    assert "<h1>Initiative 1</h1>" in html
    assert '<p class="lead">Summary of initiative 1.</p>' in html
    assert "<dd>Active</dd>" in html and '<time datetime="2024-01-15">January 2024</time>' in html
    assert "Body of initiative 1." in html
    assert '<a href="https://example.org/r">Report</a>' in html
    assert '<a href="/about/">About</a>' in html  # a page link without words uses the title
    assert '<a class="button" href="/contact/">Get in touch</a>' in html
    assert 'aria-label="Breadcrumb"' in html and 'href="/initiatives/">Our work</a>' in html


def test_impact_page_shows_its_highlights_in_order(client, site_tree):
    html = render(client, "/impact/")
    assert "<h1>Our impact</h1>" in html
    figures = re.findall(r'<span class="highlight__figure">([^<]+)</span>', html)
    assert figures == ["10+", "Policy", "Cited"]
    assert "About organisations supported." in html
    assert 'href="https://example.org/impact">Source' in html
    assert "More on our impact." in html


def test_contact_page_shows_the_details_from_settings(client, site_tree, organisation):
    html = render(client, "/contact/")
    assert "<h1>Contact</h1>" in html and "Write to us." in html
    assert '<a href="mailto:info@investinopen.org">info@investinopen.org</a>' in html
    assert '<a href="https://investinopen.org/">https://investinopen.org/</a>' in html
    assert "<address>1 Example Street<br>Example Town</address>" in html


def test_contact_page_leaves_out_details_that_are_not_set(client, site_tree):
    html = render(client, "/contact/")
    assert "Contact details" not in html and "<address>" not in html


def test_standard_page_shows_its_fields(client, site_tree):
    html = render(client, "/about/")
    assert "<h1>About</h1>" in html
    assert '<p class="lead">Who we are.</p>' in html and "Our history." in html


def test_titles_name_the_page_and_the_organisation(client, site_tree, organisation):
    site_tree.about.seo_title = "About Invest in Open Infrastructure"
    site_tree.about.save()
    assert "<title>Our impact | Invest in Open Infrastructure</title>" in render(client, "/impact/")
    assert "<title>About Invest in Open Infrastructure | " in render(client, "/about/")


def test_main_navigation_lists_menu_pages_and_marks_the_current_one(client, site_tree):
    site_tree.contact.show_in_menus = False
    site_tree.contact.save()

    html = render(client, "/initiatives/initiative-1/")
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)

    assert re.findall(r">([^<]+)</a>", nav) == [
        "Home",
        "Our work",
        "Our impact",
        "About",
        "Research",
        "News",
        "Search",
    ]
    assert 'href="/initiatives/" class="is-ancestor"' in nav
    assert 'href="/impact/" aria-current' not in nav
    assert 'href="/impact/" aria-current="page"' in render(client, "/impact/")


def test_draft_changes_and_unpublished_pages_stay_private(client, site_tree):
    about = site_tree.about
    about.introduction = "Not ready yet."
    about.save_revision()  # a draft, not published
    assert "Not ready yet." not in render(client, "/about/")

    about.unpublish()
    assert client.get("/about/").status_code == 404
    assert 'href="/about/"' not in render(client, "/")


def test_unknown_address_gets_the_branded_404(client, site_tree, organisation):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html and len(h1s(html)) == 1
    assert 'aria-label="Main"' in html  # the visitor can find their way on
    assert "<title>Page not found | Invest in Open Infrastructure</title>" in html


def test_server_error_page_is_branded_and_needs_no_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html and "Invest in Open Infrastructure" in html
