"""The link library: links used through choosers, the Resources page, and link health in the
admin."""

import re

import pytest
from django.core.exceptions import ValidationError

from pages.links.models import CheckedURL, Link, LinkCategory, URLUsage
from pages.models import ResourcesPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    reports = LinkCategory.objects.get(slug="reports")
    partners = LinkCategory.objects.get(slug="partners")
    return {
        "report": Link.objects.create(
            title="State of Open Infrastructure",
            url="https://example.org/report",
            category=reports,
            description="The yearly report.",
        ),
        "partner": Link.objects.create(
            title="LA Referencia",
            url="https://example.org/la-referencia",
            category=partners,
            language="es",
        ),
    }


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/", "mailto:a@b.org"]
)
def test_a_link_refuses_addresses_other_than_web_pages(url):
    link = Link(title="Bad", url=url)
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert "url" in caught.value.message_dict


def test_the_admin_form_refuses_a_javascript_address(admin_client):
    response = admin_client.post(
        "/admin/snippets/pages/link/add/",
        {"title": "Sneaky", "url": "javascript:alert(1)", "language": "en"},
    )
    assert response.status_code == 200 and Link.objects.count() == 0


def test_initiative_uses_a_library_link_and_drops_it_once_deleted(client, site_tree, library):
    initiative = site_tree.initiatives[0]
    initiative.related_links = [
        {
            "type": "link",
            "value": {"page": None, "link": library["report"].pk, "url": "", "title": ""},
        }
    ]
    initiative.save_revision().publish()
    html = client.get(initiative.url).content.decode()
    assert '<a href="https://example.org/report">State of Open Infrastructure</a>' in html

    library["report"].delete()
    html = client.get(initiative.url).content.decode()
    assert "State of Open Infrastructure" not in html
    assert 'href=""' not in html and 'href="None"' not in html


def test_the_editor_is_told_why_a_link_is_hidden(admin_client, site_tree, library):
    initiative = site_tree.initiatives[0]
    initiative.related_links = [
        {
            "type": "link",
            "value": {"page": site_tree.about.pk, "link": None, "url": "", "title": ""},
        },
        {
            "type": "link",
            "value": {"page": site_tree.contact.pk, "link": None, "url": "", "title": ""},
        },
        {
            "type": "link",
            "value": {"page": None, "link": library["report"].pk, "url": "", "title": ""},
        },
    ]
    initiative.save_revision().publish()
    site_tree.about.unpublish()
    site_tree.contact.delete()
    library["report"].delete()

    html = admin_client.get(f"/admin/pages/{initiative.pk}/edit/").content.decode()

    assert "Links readers cannot follow" in html
    assert "“About”, which is not published" in html
    assert "a page that was deleted" in html
    assert "A link from the link library was deleted" in html


def test_no_warning_when_every_link_works(admin_client, site_tree):
    html = admin_client.get(f"/admin/pages/{site_tree.initiatives[0].pk}/edit/").content.decode()
    assert "Links readers cannot follow" not in html


@pytest.fixture
def resources(site_tree, library):
    page = ResourcesPage(title="Resources", slug="resources", show_in_menus=True)
    site_tree.home.add_child(instance=page)
    return page


def test_resources_page_lists_links_by_category(client, resources, library):
    html = client.get("/resources/").content.decode()
    assert re.findall(r'<h2 id="category-\d+">([^<]+)</h2>', html) == [
        "Reports and research",
        "Partners",
    ]
    assert '<a href="https://example.org/report">State of Open Infrastructure</a>' in html
    assert (
        'hreflang="es" lang="es">LA Referencia</a> <span class="resource__language">(Spanish)'
        in html
    )


def test_resources_category_filter_works_without_javascript(client, resources, library):
    html = client.get("/resources/", {"category": "partners"}).content.decode()
    assert "LA Referencia" in html and "State of Open Infrastructure" not in html
    assert 'href="/resources/?category=partners" aria-current="page">Partners</a>' in html
    unknown = client.get("/resources/", {"category": "<script>"}).content.decode()
    assert "LA Referencia" in unknown and "<script>" not in unknown


def test_resources_are_paginated_and_pages_keep_the_filter(client, resources, library):
    partners = LinkCategory.objects.get(slug="partners")
    Link.objects.bulk_create(
        Link(
            title=f"Partner {n:02}",
            url=f"https://example.org/p{n}",
            category=partners,
            locale=partners.locale,
        )
        for n in range(25)
    )
    first = client.get("/resources/", {"category": "partners"}).content.decode()
    second = client.get("/resources/", {"category": "partners", "page": 2}).content.decode()
    assert first.count('class="resource"') == 20 and second.count('class="resource"') == 6
    assert 'href="?category=partners&amp;page=2" rel="next"' in first


@pytest.mark.parametrize("extra", [0, 5000])
def test_resources_page_query_count_does_not_grow_with_links(
    client, resources, library, django_assert_max_num_queries, extra, settings
):
    from pages.caching.shared import forget

    settings.SHARED_PARTS_CACHE = True  # as in production (test_query_budget.py)
    forget()
    partners = LinkCategory.objects.get(slug="partners")
    Link.objects.bulk_create(
        Link(
            title=f"P{n}", url=f"https://example.org/{n}", category=partners, locale=partners.locale
        )
        for n in range(extra)
    )
    client.get("/resources/")  # per-process lookups (site root, content type) warm
    # What every page shows is kept per cache generation: the page's own queries only.
    with django_assert_max_num_queries(10):
        assert client.get("/resources/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/resources/?category=partners&page=3").status_code == 200


REPORT = "/admin/reports/link-health/"


def test_link_health_report_lists_problems_and_where_they_are_used(
    admin_client, site_tree, library
):
    CheckedURL.objects.create(url=library["report"].url, status="broken", http_code=404)
    CheckedURL.objects.create(url=library["partner"].url, status="ok", http_code=200)
    URLUsage.objects.create(url=library["report"].url, label="Link “State of Open Infrastructure”")
    initiative = site_tree.initiatives[0]
    initiative.related_links = [
        {
            "type": "link",
            "value": {"page": None, "link": library["report"].pk, "url": "", "title": ""},
        }
    ]
    initiative.save_revision().publish()

    html = admin_client.get(REPORT).content.decode()

    assert "https://example.org/report" in html and "Broken (404)" in html
    assert "https://example.org/la-referencia" not in html  # fine links are not listed
    assert "Link “State of Open Infrastructure”" in html
    assert "Page “Initiative 1” (through the link “State of Open Infrastructure”)" in html


def test_use_the_final_url_fixes_a_permanent_redirect(admin_client, library):
    checked = CheckedURL.objects.create(
        url=library["report"].url,
        status="redirected",
        http_code=200,
        final_url="https://example.org/report-2025",
        permanent_redirect=True,
    )
    response = admin_client.post(f"{REPORT}{checked.pk}/use-final-url/")
    assert response.status_code == 302
    library["report"].refresh_from_db()
    assert library["report"].url == "https://example.org/report-2025"
    checked.refresh_from_db()
    assert (checked.url, checked.status) == ("https://example.org/report-2025", "ok")


def test_link_health_is_for_staff_who_manage_links(client, django_user_model, library):
    checked = CheckedURL.objects.create(
        url=library["report"].url,
        status="redirected",
        final_url="https://x.org/",
        permanent_redirect=True,
    )
    user = django_user_model.objects.create_user("reader", password="pw-123456-long")
    user.user_permissions.add(
        *__import__(
            "django.contrib.auth.models", fromlist=["Permission"]
        ).Permission.objects.filter(codename="access_admin")
    )
    client.force_login(user)
    assert client.get(REPORT).status_code in (302, 403)
    # Wagtail answers a refused admin action by sending the user back to the dashboard.
    assert client.post(f"{REPORT}{checked.pk}/use-final-url/").status_code in (302, 403)
    library["report"].refresh_from_db()
    assert library["report"].url == "https://example.org/report"


def test_an_internal_address_is_shown_as_not_checked_rather_than_broken(admin_client, site_tree):
    url = "http://169.254.169.254/latest/meta-data/"
    CheckedURL.objects.create(
        url=url, status="internal", error="169.254.169.254 is on an internal network."
    )
    URLUsage.objects.create(url=url, label="Page “Initiative 1”")
    initiative = site_tree.initiatives[0]
    initiative.body = [{"type": "paragraph", "value": f'<p>See <a href="{url}">this</a>.</p>'}]
    initiative.save_revision().publish()

    report = admin_client.get(REPORT).content.decode()
    assert url in report and "Not checked: internal address" in report
    assert "169.254.169.254 is on an internal network." in report
    assert "No broken links found by the last check" in admin_client.get("/admin/").content.decode()
    editor = admin_client.get(f"/admin/pages/{initiative.pk}/edit/").content.decode()
    assert "Links not checked: internal addresses" in editor
    assert f"{url}: 169.254.169.254 is on an internal network." in editor
    assert "Links readers cannot follow" not in editor
    Link.objects.create(title="Instance metadata", url=url)
    listing = admin_client.get("/admin/snippets/pages/link/", {"health": "internal"})
    assert "Instance metadata" in listing.content.decode()


def test_dashboard_shows_the_number_of_broken_links(admin_client):
    CheckedURL.objects.create(url="https://example.org/a", status="broken", http_code=404)
    CheckedURL.objects.create(url="https://example.org/b", status="unreachable")
    CheckedURL.objects.create(url="https://example.org/c", status="ok")
    html = admin_client.get("/admin/").content.decode()
    assert "<strong>2 broken links</strong>" in html


def test_links_listing_filters_by_health_and_exports(admin_client, library):
    CheckedURL.objects.create(url=library["report"].url, status="broken", http_code=404)
    broken = admin_client.get("/admin/snippets/pages/link/", {"health": "broken"}).content.decode()
    assert "State of Open Infrastructure" in broken and "LA Referencia" not in broken
    unchecked = admin_client.get("/admin/snippets/pages/link/", {"health": "unchecked"})
    assert "LA Referencia" in unchecked.content.decode()
    export = admin_client.get("/admin/snippets/pages/link/", {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert "https://example.org/report" in body and "Broken" in body
