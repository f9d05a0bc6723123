"""`load_ioi_content` builds the IOI site, changes nothing the second time, and keeps edits.

The site it builds is the run's seeded copy (`seeded` in conftest.py): the command ran once for
the whole run, on a migrated database, and `seeded_output` is what it printed then. Tests of a
second run restore that copy and run the command again."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision, Site

from home import seed_content
from home.management.commands.load_ioi_content import Seeder
from home.models import HomePage
from pages.links.models import Link
from pages.models import ImpactPage, InitiativePage, OrganisationSettings, OrganisationWording

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_ioi_content", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything a run could change: pages, their revisions, the settings and the wording."""
    pages = list(
        Page.objects.order_by("path").values_list(
            "path", "title", "live", "latest_revision_id", "last_published_at"
        )
    )
    org = OrganisationSettings.load()
    wording = list(OrganisationWording.objects.values_list("locale_id", "tagline", "footer_text"))
    return pages, Revision.objects.count(), org.contact_email, wording


def english(queryset):
    return queryset.filter(locale=Locale.get_default())


@pytest.fixture
def seeded_output(seeded, django_db_setup):
    """What `load_ioi_content` printed when it built the seeded copy on a migrated database."""
    out, err = django_db_setup.seed_output
    return out


def test_builds_the_ioi_site_on_a_fresh_database(client, seeded_output):
    out = seeded_output

    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage) and home.live
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    initiatives = english(InitiativePage.objects.live())
    assert initiatives.count() == 3
    assert {p.slug for p in initiatives} == {s["slug"] for s in seed_content.INITIATIVES}
    # Each initiative links on: to the old site where there is nothing here yet, and to the
    # research and news published here rather than to their old addresses.
    links = {
        initiative.slug: [block.value.href for block in initiative.related_links]
        for initiative in initiatives
    }
    assert links["strategic-support"][0].startswith("https://investinopen.org/")
    assert links["research"][0] == "/research/"
    assert links["collaboration"][0] == f"/news/{seed_content.FUND_POST_SLUG}/"
    assert not any("/research/" in url or "/blog/" in url for url in seed_content.LINKS)
    impact = english(ImpactPage.objects).get()
    highlights = impact.highlights.all()
    assert [(h.sort_order, h.figure) for h in highlights] == [
        (0, "Policy"),
        (1, "10+"),
        (2, "Cited"),
    ]
    assert [f.sort_order for f in home.featured_initiatives.all()] == [0, 1, 2]
    assert OrganisationSettings.load().contact_email == "info@investinopen.org"
    assert "3 contacts" in out and "resources page 'Resources'" in out
    assert "Spanish home page 'Inicio'" in out  # test_seeded_spanish.py has the rest
    # Every external address the seed names is a library link, and the initiatives use them.
    assert set(Link.objects.values_list("url", flat=True)) == set(seed_content.LINKS)
    for initiative in initiatives:
        assert all(block.value["link"] or block.value["page"] for block in initiative.related_links)
    assert OrganisationSettings.load().primary_contact.email == "info@investinopen.org"


def test_the_seeded_site_is_reachable_from_the_main_navigation(client, seeded):
    html = client.get("/").content.decode()
    for url in [
        "/initiatives/",
        "/impact/",
        "/contact/",
        "/about/",
        "/resources/",
        "/research/",
        "/news/",
    ]:
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


def test_a_second_run_changes_nothing(seeded):
    before = snapshot()
    out = load()
    assert snapshot() == before
    assert "nothing changed" in out


def test_a_run_never_overwrites_an_editors_change(seeded):
    impact = english(ImpactPage.objects).get()
    highlights = list(impact.highlights.all())
    highlights[0].figure = "12"
    impact.highlights = highlights
    impact.title = "What we changed"
    impact.save_revision().publish()
    org = OrganisationSettings.load()
    org.contact_email = "editor@example.org"
    org.save()
    english(OrganisationWording.objects).update(tagline="Edited by an editor")

    load()

    impact = english(ImpactPage.objects).get()
    assert impact.title == "What we changed" and impact.highlights.first().figure == "12"
    assert OrganisationSettings.load().contact_email == "editor@example.org"
    assert english(OrganisationWording.objects).get().tagline == "Edited by an editor"


def test_a_missing_page_is_created_without_touching_the_rest(seeded):
    Page.objects.get(slug="accessibility").delete()
    before = Revision.objects.count()
    out = load()
    assert Page.objects.filter(slug="accessibility", live=True).exists()
    assert Revision.objects.count() == before + 1
    assert "Accessibility statement" in out


def test_if_empty_leaves_a_site_with_content_alone(seeded):
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


@pytest.mark.slow
def test_builds_the_site_on_an_emptied_database(content_type_cache):
    """After `manage.py flush` even Wagtail's root page and locale are gone."""
    call_command("flush", interactive=False, verbosity=0)
    load()
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert english(InitiativePage.objects.live()).count() == 3
    # The Spanish locale the migration made is back, with the Spanish pages.
    assert InitiativePage.objects.live().filter(locale__language_code="es").count() == 3
    # Editors can upload again: the root collection is back, with the roles' rights on it.
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    editors = Group.objects.get(name="Editors")
    granted = GroupCollectionPermission.objects.filter(group=editors, collection=root)
    assert {"add_document", "add_image"} <= set(
        granted.values_list("permission__codename", flat=True)
    )


def test_the_old_sites_addresses_redirect_and_an_editors_redirect_is_kept(client, seeded_output):
    from wagtail.contrib.redirects.models import Redirect

    out = seeded_output
    # Two addresses, and one for each of the old site's posts published here (/blog/* -> /news/*).
    assert f"{2 + len(seed_content.NEWS_POSTS)} redirect(s) from the old site" in out
    response = client.get("/our-work/")
    assert response.status_code == 301 and response["Location"].endswith("/initiatives/")

    Redirect.objects.filter(old_path="/contact-us").update(
        redirect_page=None, redirect_link="https://example.org/elsewhere"
    )
    load()
    assert client.get("/contact-us/")["Location"] == "https://example.org/elsewhere"
    response = client.get(f"/blog/{seed_content.FUND_POST_SLUG}/")
    assert response.status_code == 301
    assert response["Location"] == f"/news/{seed_content.FUND_POST_SLUG}/"


def test_the_research_and_news_sections_are_seeded_citable_and_filterable(client, seeded):
    research = client.get("/research/").content.decode()
    for spec in seed_content.PUBLICATIONS:
        assert spec["title"] in research
        page = client.get(f"/research/{spec['slug']}/").content.decode()
        assert "Cite this" in page and "Invest in Open Infrastructure. (" in page
        for name, extension in (("bibtex", "bib"), ("ris", "ris"), ("csl-json", "json")):
            response = client.get(f"/research/{spec['slug']}/cite/{name}/")
            assert response.status_code == 200
            assert response["Content-Disposition"].endswith(f'{spec["slug"]}.{extension}"')
            assert spec["title"] in response.content.decode()
    only_2021 = client.get("/research/?year=2021").content.decode()
    assert "The Future of Open Scholarship" in only_2021
    assert "State of Open Infrastructure 2024" not in only_2021
    news = client.get("/news/").content.decode()
    assert all(spec["title"] in news for spec in seed_content.NEWS_POSTS)
    funding = client.get("/news/?tag=funding").content.decode()
    assert "Open Infrastructure Fund pilot" in funding and "Infra Finder:" not in funding
    # No one is invented: the organisation is the author of everything seeded.
    assert "by the organisation as a whole" in client.get("/people/").content.decode()
    assert all(
        a["organisation"] == seed_content.IOI
        for spec in seed_content.PUBLICATIONS
        for a in spec["authors"]
    )


def test_a_fresh_site_is_created_at_the_configured_address(settings):
    """The seed's home page on a database with no Site yet (as `manage.py flush` leaves it)
    becomes the default site at the configured address (DJANGO_SITE_URL): the seed's own step,
    not the whole seed, whose shared copy was made at the test settings' address."""
    settings.SITE_URL = "https://ioi.test"
    Site.objects.all().delete()
    home = Seeder().home_page()
    site = Site.objects.get(is_default_site=True)
    assert (site.root_page_id, site.root_url) == (home.pk, "https://ioi.test")
