"""`load_ioi_content` builds the IOI site, changes nothing the second time, and keeps edits."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from home import seed_content
from home.models import HomePage
from pages.links.models import Link
from pages.models import ImpactPage, InitiativePage, OrganisationSettings

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_ioi_content", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything a run could change: pages, their revisions and the settings."""
    pages = list(
        Page.objects.order_by("path").values_list(
            "path", "title", "live", "latest_revision_id", "last_published_at"
        )
    )
    org = OrganisationSettings.load()
    return pages, Revision.objects.count(), org.contact_email, org.tagline, org.footer_text


def test_builds_the_ioi_site_on_a_fresh_database(client):
    out = load()

    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage) and home.live
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    initiatives = InitiativePage.objects.live()
    assert initiatives.count() == 3
    assert {p.slug for p in initiatives} == {s["slug"] for s in seed_content.INITIATIVES}
    for initiative in initiatives:
        links = [block.value.href for block in initiative.related_links]
        assert links and links[0].startswith("https://investinopen.org/")
    impact = ImpactPage.objects.get()
    highlights = impact.highlights.all()
    assert [(h.sort_order, h.figure) for h in highlights] == [
        (0, "Policy"),
        (1, "10+"),
        (2, "Cited"),
    ]
    assert [f.sort_order for f in home.featured_initiatives.all()] == [0, 1, 2]
    assert OrganisationSettings.load().contact_email == "info@investinopen.org"
    assert "Created 19:" in out and "3 contacts" in out and "resources page 'Resources'" in out
    # Every external address the seed names is a library link, and the initiatives use them.
    assert set(Link.objects.values_list("url", flat=True)) == set(seed_content.LINKS)
    for initiative in initiatives:
        assert all(block.value["link"] for block in initiative.related_links)
    assert OrganisationSettings.load().primary_contact.email == "info@investinopen.org"


def test_the_seeded_site_is_reachable_from_the_main_navigation(client):
    load()
    html = client.get("/").content.decode()
    for url in ["/initiatives/", "/impact/", "/contact/", "/about/", "/resources/"]:
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
    index = client.get("/initiatives/").content.decode()
    assert index.count('class="card"') == 3
    contact = client.get("/contact/").content.decode()
    assert "mailto:info@investinopen.org" in contact and "https://investinopen.org/" in contact
    assert client.get("/accessibility/").status_code == 200
    privacy = client.get("/privacy/").content.decode()
    assert "deleted automatically one year after" in privacy
    assert '<a href="/privacy/">Read our privacy notice</a>' in contact


def test_a_second_run_changes_nothing():
    load()
    before = snapshot()
    out = load()
    assert snapshot() == before
    assert "nothing changed" in out


def test_a_run_never_overwrites_an_editors_change():
    load()
    impact = ImpactPage.objects.get()
    highlights = list(impact.highlights.all())
    highlights[0].figure = "12"
    impact.highlights = highlights
    impact.title = "What we changed"
    impact.save_revision().publish()
    org = OrganisationSettings.load()
    org.tagline = "Edited by an editor"
    org.save()

    load()

    impact = ImpactPage.objects.get()
    assert impact.title == "What we changed" and impact.highlights.first().figure == "12"
    assert OrganisationSettings.load().tagline == "Edited by an editor"


def test_a_missing_page_is_created_without_touching_the_rest():
    load()
    Page.objects.get(slug="accessibility").delete()
    before = Revision.objects.count()
    out = load()
    assert Page.objects.filter(slug="accessibility", live=True).exists()
    assert Revision.objects.count() == before + 1
    assert "Accessibility statement" in out


def test_if_empty_leaves_a_site_with_content_alone():
    load()
    Page.objects.get(slug="about").delete()
    out = load("--if-empty")
    assert not Page.objects.filter(slug="about").exists()
    assert "already has content" in out


@pytest.fixture
def content_type_cache():
    """Flush recreates content types under new ids; the rollback restores the old rows, so the
    process-wide cache must forget the new ones."""
    yield
    ContentType.objects.clear_cache()


def test_builds_the_site_on_an_emptied_database(content_type_cache):
    """After `manage.py flush` even Wagtail's root page and locale are gone."""
    call_command("flush", interactive=False, verbosity=0)
    load()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert InitiativePage.objects.live().count() == 3


def test_the_old_sites_addresses_redirect_and_an_editors_redirect_is_kept(client):
    from wagtail.contrib.redirects.models import Redirect

    out = load()
    assert "2 redirect(s) from the old site" in out
    response = client.get("/our-work/")
    assert response.status_code == 301 and response["Location"].endswith("/initiatives/")

    Redirect.objects.filter(old_path="/contact-us").update(
        redirect_page=None, redirect_link="https://example.org/elsewhere"
    )
    load()
    assert client.get("/contact-us/")["Location"] == "https://example.org/elsewhere"
