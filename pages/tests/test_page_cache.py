"""The page cache in one process: what is kept, what is never kept, and what empties it.
The two-process test with a shared Redis is test_page_cache_processes.py."""

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import PageViewRestriction

from pages.caching.invalidation import shown_on_pages
from pages.catalogue.models import Term
from pages.contacts.models import Contact, ContactPurpose
from pages.discovery.site_address import sync_default_site
from pages.links.models import Link, LinkCategory
from pages.models import OrganisationSettings, OrganisationWording
from pages.people.models import Person

HIT = "hit"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_CDN_SECONDS = 60
    settings.PAGE_CACHE_STALE_SECONDS = 30


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run what commits would run: the cache is emptied after the transaction commits."""

    def _publish(page, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            for name, value in changes.items():
                setattr(page, name, value)
            page.save_revision().publish()

    return _publish


def state(response):
    return response.get("X-Page-Cache")


@pytest.mark.django_db
def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, site_tree, django_assert_num_queries
):
    first = client.get("/about/")
    assert state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get("/about/")
    assert state(second) == HIT
    assert second.content == first.content
    assert second["Cache-Control"] == ("public, max-age=0, s-maxage=60, stale-while-revalidate=30")


@pytest.mark.django_db
def test_publishing_shows_the_change_on_the_next_request(client, site_tree, publish):
    client.get("/about/")
    publish(site_tree.about, introduction="Freshly published words.")
    response = client.get("/about/")
    assert state(response) == "miss"
    assert "Freshly published words." in response.content.decode()


@pytest.mark.django_db
def test_a_change_in_the_navigation_reaches_every_cached_page(client, site_tree, publish):
    client.get("/")
    client.get("/impact/")
    publish(site_tree.about, title="About IOI")
    for path in ("/", "/impact/"):
        response = client.get(path)
        assert state(response) == "miss"
        assert "About IOI" in response.content.decode()


@pytest.mark.django_db
def test_unpublishing_removes_the_page_at_once(
    client, site_tree, django_capture_on_commit_callbacks
):
    client.get("/about/")
    with django_capture_on_commit_callbacks(execute=True):
        site_tree.about.unpublish()
    assert client.get("/about/").status_code == 404


@pytest.mark.django_db
def test_moving_and_deleting_pages_empty_the_cache(
    client, site_tree, django_capture_on_commit_callbacks
):
    assert "Initiative 1" in client.get("/initiatives/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        site_tree.initiatives[0].delete()
    assert "Initiative 1" not in client.get("/initiatives/").content.decode()

    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        site_tree.about.move(site_tree.impact.get_parent(), pos="first-child")
    assert state(client.get("/")) == "miss"


@pytest.mark.django_db
def test_saving_settings_or_a_snippet_empties_the_cache(
    client, site_tree, organisation, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        wording = OrganisationWording.objects.get()
        wording.footer_text = "A new footer line."
        wording.save()
    assert "A new footer line." in client.get("/").content.decode()

    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        Link.objects.create(title="New link", url="https://example.org/new")
    assert state(client.get("/")) == "miss"


def _make(model_name, site_tree):
    """A fresh instance of each model that pages show, saved once."""
    from django.core.files.base import ContentFile
    from taggit.models import Tag
    from wagtail.documents import get_document_model
    from wagtail.models import Site

    from conftest import make_image, root_collection

    makers = {
        "pages.contact": lambda: Contact.objects.create(name="New desk", email="d@example.org"),
        "pages.contactpurpose": lambda: ContactPurpose.objects.create(name="Grants"),
        "pages.link": lambda: Link.objects.create(title="New", url="https://example.org/n"),
        "pages.linkcategory": lambda: LinkCategory.objects.create(name="Data", slug="data"),
        "pages.organisationsettings": lambda: OrganisationSettings.load(),
        "pages.organisationwording": lambda: OrganisationWording.objects.create(tagline="New"),
        "pages.person": lambda: Person.objects.create(given_names="Ada", family_name="Byline"),
        "catalogue.term": lambda: Term.objects.create(vocabulary="licence", name="MIT", slug="mit"),
        "taggit.tag": lambda: Tag.objects.create(name="Open access", slug="open-access"),
        "wagtailcore.pageviewrestriction": lambda: PageViewRestriction.objects.create(
            page=site_tree.about, restriction_type=PageViewRestriction.LOGIN
        ),
        "wagtailcore.site": lambda: Site.objects.create(
            hostname="other.example", root_page=site_tree.home
        ),
        "wagtailimages.image": lambda: make_image("Fresh"),
        "wagtaildocs.document": lambda: get_document_model().objects.create(
            title="Report", file=ContentFile(b"report", "report.txt"), collection=root_collection()
        ),
    }
    return makers[model_name]()


SHOWN_ON_PAGES = [
    "catalogue.term",
    "pages.contact",
    "pages.contactpurpose",
    "pages.link",
    "pages.linkcategory",
    "pages.organisationsettings",
    "pages.organisationwording",
    "pages.person",
    "taggit.tag",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.site",
    "wagtailimages.image",
    "wagtaildocs.document",
]


def test_every_model_pages_show_is_tested_below():
    assert sorted(m._meta.label_lower for m in shown_on_pages()) == sorted(SHOWN_ON_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", SHOWN_ON_PAGES)
def test_saving_or_deleting_anything_pages_show_empties_the_cache(
    client, site_tree, model_name, django_capture_on_commit_callbacks
):
    """Each model wired to the cache, saved and then deleted: after each, the next visit to a
    cached page is rendered afresh."""
    with django_capture_on_commit_callbacks(execute=True):
        instance = _make(model_name, site_tree)
    client.get("/")
    assert state(client.get("/")) == HIT

    with django_capture_on_commit_callbacks(execute=True):
        instance.save()
    assert state(client.get("/")) == "miss"

    assert state(client.get("/")) == HIT
    with django_capture_on_commit_callbacks(execute=True):
        instance.delete()
    assert state(client.get("/")) == "miss"


@pytest.mark.django_db
def test_a_page_made_private_leaves_the_cache(
    client, site_tree, django_capture_on_commit_callbacks
):
    assert state(client.get("/about/")) == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=site_tree.about, restriction_type=PageViewRestriction.LOGIN
        )
    response = client.get("/about/")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.django_db
def test_a_signed_in_editor_is_never_served_from_or_stored_in_the_cache(
    client, admin_client, site_tree
):
    editor_view = admin_client.get("/about/")
    assert "wagtail-userbar" in editor_view.content.decode()
    assert state(editor_view) is None
    assert "private" in editor_view["Cache-Control"]

    anonymous = client.get("/about/")
    assert state(anonymous) == "miss"
    assert "wagtail-userbar" not in anonymous.content.decode()
    assert state(admin_client.get("/about/")) is None


@pytest.mark.django_db
def test_a_preview_never_reaches_a_reader(admin_client, client, site_tree):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    about = site_tree.about
    data = nested_form_data(
        {
            "title": about.title,
            "slug": about.slug,
            "introduction": "Draft words in preview.",
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    url = f"/admin/pages/{about.pk}/edit/preview/"
    admin_client.post(url, data)
    assert "Draft words in preview." in admin_client.get(url).content.decode()
    for _ in range(2):
        assert "Draft words in preview." not in client.get("/about/").content.decode()


# One address of every public page type the smallest world has (conftest.py: site_tree).
PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/initiative-1/",
    "/impact/",
    "/contact/",
    "/contact/thanks/",
    "/about/",
    "/research/",
    "/research/publication-1/",
    "/news/",
    "/news/post-1/",
    "/people/",
]


@pytest.mark.django_db
def test_every_public_page_the_contact_page_included_comes_from_the_cache_and_sets_no_cookie(
    client, site_tree, contacts
):
    """No cookie for an anonymous reader on any page: nothing to consent to, and nothing that
    keeps a page out of the cache. The contact form needs no CSRF cookie (its posts are checked
    by their origin: pages/http/cross_origin.py)."""
    for url in PUBLIC_PAGES:
        first, second = client.get(url), client.get(url)
        assert (state(first), state(second)) == ("miss", HIT), url
        assert "set-cookie" not in first.headers and "set-cookie" not in second.headers, url
        assert "csrfmiddlewaretoken" not in second.content.decode(), url
    assert not client.cookies


@pytest.mark.django_db
def test_unknown_query_strings_skip_the_cache_and_known_ones_are_kept_apart(client, site_tree):
    assert state(client.get("/about/?utm_source=x")) is None
    assert state(client.get("/about/?utm_source=x")) is None
    assert state(client.get("/initiatives/?page=1")) == "miss"
    assert state(client.get("/initiatives/?page=1")) == HIT
    assert state(client.get("/initiatives/")) == "miss"
    assert state(client.get("/initiatives/?page=" + "9" * 100)) is None


@pytest.mark.django_db
def test_head_is_answered_from_the_get_entry_without_a_body(client, site_tree):
    body = client.get("/about/").content
    head = client.head("/about/")
    assert state(head) == HIT
    assert head.content == b""
    assert head["Content-Length"] == str(len(body))


@pytest.mark.django_db
def test_compressed_and_plain_copies_are_kept_apart(client, site_tree):
    plain = client.get("/about/")
    zipped = client.get("/about/", headers={"Accept-Encoding": "gzip"})
    assert state(zipped) == "miss" and zipped["Content-Encoding"] == "gzip"
    again = client.get("/about/", headers={"Accept-Encoding": "gzip"})
    assert state(again) == HIT
    assert gzip.decompress(again.content) == plain.content
    assert "Content-Encoding" not in client.get("/about/")


@pytest.mark.django_db
def test_pages_that_are_not_ok_are_not_kept(client, site_tree):
    client.get("/no-such-page/")
    assert state(client.get("/no-such-page/")) == "skip"


# The optional CDN purge, against a real local HTTP server standing in for the CDN.


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.server.purged.append(self.headers.get("Host", "") + self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purged = []
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_with_a_cdn_configured_a_publish_purges_every_public_page(
    settings, cdn, site_tree, publish
):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{cdn.server_address[1]}",
        }
    }
    publish(site_tree.about, introduction="Purge me.")
    paths = {p.split("localhost", 1)[-1] for p in cdn.purged}
    assert {"/", "/about/", "/impact/", "/initiatives/", "/initiatives/initiative-1/"} <= paths


@pytest.mark.django_db
def test_cdn_purges_name_the_sites_public_address(settings, cdn, site_tree, publish):
    """The CDN caches pages under their public host; a purge for `localhost` would miss."""
    settings.SITE_URL = "https://ioi.test"
    sync_default_site()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{cdn.server_address[1]}",
        }
    }
    publish(site_tree.about, introduction="Purge me on the public host.")
    assert "ioi.test/about/" in cdn.purged
    assert all(p.startswith("ioi.test/") for p in cdn.purged), cdn.purged


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/news/?tag=funding",
        "/research/?type=report&year=2024",
        "/research/publication-1/",
        "/research/publication-1/cite/bibtex/",
        "/feeds/news/",
    ],
)
def test_research_and_news_are_served_from_the_cache_until_a_post_is_published(
    client, site_tree, publish, django_assert_num_queries, url
):
    assert state(client.get(url)) == "miss"
    with django_assert_num_queries(0):
        assert state(client.get(url)) == HIT
    publish(site_tree.posts[0], title="A new headline")
    assert state(client.get(url)) == "miss"


@pytest.mark.django_db
def test_renaming_an_author_empties_the_cache_of_their_bylines(
    client, site_tree, django_capture_on_commit_callbacks
):
    ada = Person.objects.create(given_names="Ada", family_name="Lovelace")
    post = site_tree.posts[0]
    post.authors.add(type(post.authors.first())(person=ada, sort_order=1))
    post.save_revision().publish()
    client.get("/news/")
    with django_capture_on_commit_callbacks(execute=True):
        ada.family_name = "King"
        ada.save()
    html = client.get("/news/").content.decode()
    assert "Ada King" in html and "Lovelace" not in html


def test_the_file_caches_cull_never_drops_the_generation_so_a_full_folder_empties_nothing(
    tmp_path,
):
    """Production's cache without Redis (pages/caching/filecache.py). Django's cull deletes
    files at random once the folder is full; had it taken the generation key, every cached page
    on the machine would be dropped at once. Here the cull deletes all it may (CULL_FREQUENCY 1)
    and the generation is still there."""
    from pages.caching.filecache import SharedFileCache
    from pages.caching.middleware import GENERATION_KEY

    store = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 1}})
    store.set(GENERATION_KEY, "g1", None)
    for n in range(10):
        store.set(f"pagecache:page:{n}", b"<html>", 300)
    assert store.get(GENERATION_KEY) == "g1"
    assert len(list(tmp_path.glob("*.djcache"))) <= 3
