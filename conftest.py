"""Fixtures shared by every app's tests: small page trees built per test, and the browser.

This file stands above the apps (like ioisite/urls.py), so it may import both home/ and pages/;
the tests in pages/ reach the home page only through these fixtures."""

import functools
import gc
import os
import shutil
import threading
from contextlib import ExitStack, contextmanager, suppress
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.db.models import Model
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from home.models import FeaturedInitiative, HomePage
from home.site_setup import BATCH_GC_THRESHOLDS
from pages.contacts.models import Contact, ContactPurpose
from pages.editorial.roles import (
    CONTACT_MANAGERS,
    EDITORS,
    MODERATORS,
    ROLES,
    TRANSLATORS,
    sync_roles,
)
from pages.models import (
    ContactPage,
    ImpactHighlight,
    ImpactPage,
    InitiativeIndexPage,
    InitiativePage,
    NewsAuthor,
    NewsIndexPage,
    NewsPage,
    OrganisationSettings,
    OrganisationWording,
    PeopleIndexPage,
    PublicationAuthor,
    PublicationPage,
    ResearchIndexPage,
    StandardPage,
)
from pages.people.models import Person
from pages.tests import servers
from pages.tests.databases import (
    Snapshot,
    TestDatabase,
    reset_after_transactional_tests,
    template_name,
)

# Debian's Chromium. Its "old headless shell" (package chromium-headless-shell, the browser
# without the desktop browser's user interface, as Playwright itself uses for headless runs)
# where it is installed: the same engine at some 40% less CPU per page (docs/testing.md).
CHROMIUM = os.environ.get("IOI_CHROMIUM") or next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if os.path.exists(path)
    ),
    "/usr/bin/chromium",
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Test files whose tests share something costly a fixture starts once per process (servers).
SHARED_BY_THE_FILE = {
    "pages/tests/test_page_cache_processes.py",
    "pages/tests/test_front.py",
    "pages/tests/test_cache_outage.py",
    "pages/tests/test_backup_drill.py",
}


def pytest_configure(config):
    """Each test process (the controller and every xdist worker) runs as a batch job: what
    Django, Wagtail and the project made at start-up is frozen out of the garbage collector's
    scans (`gc.freeze`), and a collection waits for 50,000 new objects
    (`home.site_setup.BATCH_GC_THRESHOLDS`) instead of 700. Four modules of tests in process
    (test_security, test_roles, test_catalogue, test_query_budget, `-n0`, the database's build
    included) took 59.6-61.3 s so (three runs), 63.2-68.1 s with the defaults (five), run by
    turns; the process's peak memory 292 MB where it was 244 (docs/testing.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)


def pytest_xdist_make_scheduler(config, log):
    """Test by test, in the order of `pytest_collection_modifyitems` below, each process taking
    the next test as it finishes its last, except that the tests of a file in SHARED_BY_THE_FILE
    all go to one process. (xdist's own `loadgroup` does this by renaming tests, which pytest 9.2
    no longer allows; its `loadscope` would put the largest files first, whatever they cost.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class TestByTest(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return path if path in SHARED_BY_THE_FILE else nodeid

    config.option.loadscopereorder = False
    return TestByTest(config, log)


def is_slow(item):
    return (
        item.get_closest_marker("slow") is not None
        or item.get_closest_marker("browser") is not None
        or item.nodeid.split("::", 1)[0] in SHARED_BY_THE_FILE
    )


def database_use(item):
    """pytest-django's order for a test: 0 in a transaction, 1 transactional, 2 no database."""
    marker = item.get_closest_marker("django_db")
    fixtures = item.fixturenames
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
    )
    if transactional or "transactional_db" in fixtures or "live_server" in fixtures:
        return 1
    return 0 if marker or "db" in fixtures else 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The order tests are handed out in: the slow ones first, so that a run ends with short
    tests on both cores rather than one core finishing a long test alone (longest first, as
    far as a scheduler without figures can). pytest-django's order holds: tests in a
    transaction before transactional ones (after each, the tables are put back as the
    migrations left them: pages/tests/databases.py). So:

    1. the tests marked `opening` (the first run of `make run`: no test database needed), and
       one slow test in a transaction, whose process builds the test database;
    2. the other slow tests without a database: the first process's work meanwhile;
    3. the other slow tests in a transaction;
    4. the process-test files. On SQLite their released site is made from the test database's
       migrated copy, so they wait for it; on PostgreSQL a process that finds the test
       database still being built makes the released site meanwhile;
    5. the rest in a transaction, the slow then the quick transactional tests, and the quick
       tests without a database last, where they fill the gaps.

    A run with no test marked `opening` (a subset, or .ci/run's PostgreSQL pass) opens with the
    slow tests that need no test database at all (nor the released site, which on SQLite starts
    from its copy), or failing those with a process-test file; and the quick tests that need
    neither come straight after the one that builds the test database, not last: the other
    process's work meanwhile (on PostgreSQL the build takes some 40 s)."""
    groups = {0: [], 1: [], 2: []}
    for item in items:
        groups[database_use(item)].append(item)
    slow = {id(item) for item in items if is_slow(item)}

    def file_of(item):
        return item.nodeid.split("::")[0]

    def in_a_process_file(item):
        return file_of(item) in SHARED_BY_THE_FILE

    def needs_no_database(item):
        return not {"django_db_setup", "released_site"} & set(item.fixturenames)

    slow_without_db = [item for item in groups[2] if id(item) in slow]
    opening = [item for item in slow_without_db if item.get_closest_marker("opening")]
    filling = []
    if not opening:
        opening = [
            item
            for item in slow_without_db
            if not in_a_process_file(item) and needs_no_database(item)
        ]
        filling = [i for i in groups[2] if id(i) not in slow and needs_no_database(i)]
    if not opening:
        first = next((file_of(item) for item in slow_without_db if in_a_process_file(item)), None)
        opening = [item for item in slow_without_db if file_of(item) == first]
    opened = {id(item) for item in [*opening, *filling]}
    slow_with_db = [item for item in groups[0] if id(item) in slow]
    items[:] = [
        *opening,
        *slow_with_db[:1],
        *filling,
        *(i for i in slow_without_db if id(i) not in opened and not in_a_process_file(i)),
        *slow_with_db[1:],
        *(i for i in slow_without_db if id(i) not in opened and in_a_process_file(i)),
        *(item for item in groups[0] if id(item) not in slow),
        *(item for item in groups[1] if id(item) in slow),
        *(item for item in groups[1] if id(item) not in slow),
        *(item for item in groups[2] if id(item) not in slow and id(item) not in opened),
    ]


def clean_env(**variables):
    """A process environment with exactly these variables and a PATH."""
    return {"PATH": "/usr/bin:/bin", **variables}


def run_folder(tmp_path_factory, worker_id):
    """A temporary folder shared by every process of this run (pytest-xdist's workers)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_modify_db_settings,  # pytest-django's: each xdist process's own database name
    tmp_path_factory,
    worker_id,
):
    """The test database, migrated once per run and copied into each process, with the seeded
    site beside it for `seeded` and `seeded_site` (pages/tests/databases.py)."""
    from django.test.utils import teardown_databases

    verbosity = request.config.option.verbose
    folder = run_folder(tmp_path_factory, worker_id)

    def build_the_released_site():
        # While another process builds the test database, this one's core would sit idle:
        # it builds the site the process tests serve, if this run has any. Not on SQLite,
        # where that site starts from the test database's migrated copy (`released_site`).
        if connection.vendor != "sqlite" and any(
            "released_site" in item.fixturenames for item in request.session.items
        ):
            servers.released_site(folder)

    with django_db_blocker.unblock():
        database = TestDatabase(folder)
        old_config = database.set_up(verbosity=verbosity, while_waiting=build_the_released_site)
    with reset_after_transactional_tests(database):
        yield database
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=verbosity)


@pytest.fixture(scope="session")
def released_site(request, tmp_path_factory, worker_id):
    """The seeded site as a release builds it, for the tests that serve it from other processes
    (gunicorn): built once per run; each module takes a copy (`servers.copy_site`). On SQLite
    it starts from the test database's migrated copy: one run of the migrations for both."""
    folder = run_folder(tmp_path_factory, worker_id)
    if connection.vendor != "sqlite":
        return servers.released_site(folder)
    test_database = request.getfixturevalue("django_db_setup")
    return servers.released_site(folder, migrated=test_database.migrated_file)


def pytest_sessionfinish(session):
    """The run's PostgreSQL template (pages/tests/databases.py) goes when the run ends: in the
    controller, once every process is done with it."""
    if hasattr(session.config, "workerinput"):
        return
    from pytest_django.plugin import blocking_manager_key

    if connection.vendor != "postgresql" or blocking_manager_key not in session.config.stash:
        return
    with session.config.stash[blocking_manager_key].unblock():
        template = template_name(connection.creation._get_test_db_name())
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a row id from a rolled-back test must not leak."""
    cache.clear()
    yield
    cache.clear()


@contextmanager
def module_transaction(django_db_blocker):
    """For a module-scoped world: what it builds stays in a transaction that every test of the
    module runs inside (each test's own changes are rolled back to it), rolled back once the
    module's last test is done."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def add_page(parent, page_class, **fields):
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = page_class(**fields)
    parent.add_child(instance=page)
    return page


def translate(original, language="es", **fields):
    """The Spanish (or other) version of a page or snippet, made as wagtail-localize's first step
    makes it (`copy_for_translation`), with the given fields, and published if a page. A
    page's parents must have their translations already."""
    locale = Locale.objects.get(language_code=language)
    copy = original.copy_for_translation(locale)
    if isinstance(copy, Page):
        copy = copy.specific
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save_revision().publish()
        copy.refresh_from_db()
        return copy
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def paragraph(html):
    return {"type": "paragraph", "value": html}


def root_collection():
    """Wagtail's root collection, where images and documents go; recreated, like the root page,
    where a test has emptied every table (`manage.py flush` in the seed's tests)."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def make_image(title="Workshop", size=(1600, 900)):
    root_collection()
    buffer = BytesIO()
    PILImage.new("RGB", size, (11, 79, 108)).save(buffer, "PNG")
    return Image.objects.create(title=title, file=ContentFile(buffer.getvalue(), "image.png"))


def tree_root():
    """Wagtail's root page; recreated, with the default locale, where a test has emptied every
    table (`manage.py flush` in the seed's tests)."""
    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def build_home(**fields):
    """A home page at the top of the tree, served by the default site."""
    root = tree_root()
    fields = {
        "title": "Home",
        "slug": "test-home",
        "headline": "Open infrastructure that lasts",
        "introduction": "<p>We help institutions invest in open infrastructure.</p>",
        **fields,
    }
    home = add_page(root, HomePage, **fields)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "IOI"},
    )
    return home


@contextmanager
def indexing(indexed):
    """With indexed=False (a large site for counting queries) Wagtail's search and reference
    indexes are not kept up to date while pages are made, which makes building a thousand much
    faster."""
    with ExitStack() as unindexed:
        if not indexed:
            search = {
                name: {**conf, "AUTO_UPDATE": False}
                for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()
            }
            unindexed.enter_context(override_settings(WAGTAILSEARCH_BACKENDS=search))
            unindexed.enter_context(disable_reference_index_auto_update())
        yield


def build_initiatives(index, count, start=1, indexed=True):
    """Initiatives published a minute apart, in order: the last is the latest."""
    first = timezone.now() - timedelta(days=1)
    with indexing(indexed):
        return [
            add_page(
                index,
                InitiativePage,
                title=f"Initiative {n}",
                slug=f"initiative-{n}",
                summary=f"Summary of initiative {n}.",
                status="active",
                body=[paragraph(f"<p>Body of initiative {n}.</p>")],
                first_published_at=first + timedelta(minutes=n),
            )
            for n in range(start, start + count)
        ]


def make_document(title="Full report", content=b"%PDF-1.4\n% a report\n", name="report.pdf"):
    root_collection()
    return Document.objects.create(title=title, file=ContentFile(content, name))


def make_person(given="Ada", family="Lovelace", **fields):
    return Person.objects.create(given_names=given, family_name=family, **fields)


PUBLICATION_TYPES = ["report", "landscape-scan", "brief", "article", "dataset"]


def build_research(home, count=3, start=1, indexed=True, authors=()):
    """A research index and `count` publications, one a year back from 2024 and by type in
    turn, each by the organisation and then `authors` (people), in that order."""
    index = add_page(
        home,
        ResearchIndexPage,
        title="Research",
        slug="research",
        introduction="<p>Our reports.</p>",
        show_in_menus=True,
    )
    publications = build_publications(index, count, start, indexed, authors)
    return index, publications


def build_publications(index, count, start=1, indexed=True, authors=()):
    with indexing(indexed):
        made = []
        for n in range(start, start + count):
            credits = [PublicationAuthor(organisation="Invest in Open Infrastructure")] + [
                PublicationAuthor(person=person) for person in authors
            ]
            for order, credit in enumerate(credits):
                credit.sort_order = order
            made.append(
                add_page(
                    index,
                    PublicationPage,
                    title=f"Publication {n}",
                    slug=f"publication-{n}",
                    publication_type=PUBLICATION_TYPES[(n - 1) % len(PUBLICATION_TYPES)],
                    published_on=date(2024 - (n - 1) % 5, 6, 1 + (n - 1) % 28),
                    abstract=f"Abstract of publication {n}.",
                    body=[paragraph(f"<p>Body of publication {n}.</p>")],
                    authors=credits,
                )
            )
        return made


def build_news(home, count=3, start=1, indexed=True, tags=("funding",), authors=()):
    """A news index and `count` posts, a day apart (the last is the latest), each tagged."""
    index = add_page(
        home,
        NewsIndexPage,
        title="News",
        slug="news",
        introduction="<p>Our news.</p>",
        show_in_menus=True,
    )
    return index, build_posts(index, count, start, indexed, tags, authors)


def build_posts(index, count, start=1, indexed=True, tags=("funding",), authors=()):
    first = date(2024, 1, 1)
    with indexing(indexed):
        made = []
        for n in range(start, start + count):
            credits = [NewsAuthor(organisation="Invest in Open Infrastructure")] + [
                NewsAuthor(person=person) for person in authors
            ]
            for order, credit in enumerate(credits):
                credit.sort_order = order
            post = NewsPage(
                title=f"Post {n}",
                slug=f"post-{n}",
                published_on=first + timedelta(days=n),
                summary=f"Summary of post {n}.",
                body=[paragraph(f"<p>Body of post {n}.</p>")],
                authors=credits,
            )
            post.tags.add(*tags)
            index.add_child(instance=post)
            made.append(post)
        return made


def build_site(initiatives=3):
    """The shape of the real site, small: every page type once, with its fields filled."""
    home = build_home(body=[paragraph("<p>How we work, in brief.</p>")])
    index = add_page(
        home,
        InitiativeIndexPage,
        title="Our work",
        slug="initiatives",
        introduction="<p>Three strands of work.</p>",
        show_in_menus=True,
    )
    impact = add_page(
        home,
        ImpactPage,
        title="Our impact",
        slug="impact",
        introduction="<p>What changed.</p>",
        body=[paragraph("<p>More on our impact.</p>")],
        show_in_menus=True,
    )
    for n, (figure, label) in enumerate(
        [("10+", "organisations supported"), ("Policy", "funding models"), ("Cited", "research")]
    ):
        ImpactHighlight.objects.create(
            page=impact,
            sort_order=n,
            figure=figure,
            label=label,
            description=f"About {label}.",
            source_url="https://example.org/impact",
        )
    contact = add_page(
        home,
        ContactPage,
        title="Contact",
        slug="contact",
        introduction="<p>Write to us.</p>",
        show_in_menus=True,
    )
    about = add_page(
        home,
        StandardPage,
        title="About",
        slug="about",
        introduction="Who we are.",
        body=[paragraph("<p>Our history.</p>")],
        show_in_menus=True,
    )
    research, publications = build_research(home, 2)
    news, posts = build_news(home, 2)
    people = add_page(home, PeopleIndexPage, title="People", slug="people")
    return SimpleNamespace(
        home=home,
        index=index,
        initiatives=build_initiatives(index, initiatives),
        impact=impact,
        contact=contact,
        about=about,
        research=research,
        publications=publications,
        news=news,
        posts=posts,
        people=people,
    )


@pytest.fixture(scope="session")
def site_tree_snapshot(django_db_setup, django_db_blocker):
    """`build_site()` made once per process, in a transaction rolled back, and the rows it wrote
    kept (pages/tests/databases.py: Snapshot). Taken only from the migrated database with no
    test's transaction open (a session fixture is set up before the test's own); otherwise
    nothing is kept and `site_tree` builds."""
    snapshot = Snapshot(build_site)
    with django_db_blocker.unblock():
        if not connection.in_atomic_block and Page.objects.filter(depth=1).exists():
            snapshot.take()
    return snapshot


def reloaded(value):
    """What a builder returned, with each row in it read again from the database: a model
    instance, or a namespace, tuple, list or dict of them (other values as they are)."""
    if isinstance(value, Model):
        return type(value).objects.get(pk=value.pk)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{name: reloaded(item) for name, item in vars(value).items()})
    if isinstance(value, (list, tuple)):
        return type(value)(reloaded(item) for item in value)
    if isinstance(value, dict):
        return {key: reloaded(item) for key, item in value.items()}
    return value


def _refresh(value):
    """Reads again, in place, each row a fixture's value holds (as `reloaded`); a row the world
    deleted is left as it was."""
    if isinstance(value, Model):
        with suppress(ObjectDoesNotExist):
            value.refresh_from_db()
    elif isinstance(value, SimpleNamespace):
        _refresh(list(vars(value).values()))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refresh(item)
    elif isinstance(value, dict):
        _refresh(list(value.values()))


_WORLDS = {}


def world(build):
    """Makes a test module's world fixture cheap: `build` (a fixture function, with the fixtures
    it builds on as arguments, e.g. `site_tree`) runs in full once per process; every later
    test in a transaction gets what it wrote put back (pages/tests/databases.py: Snapshot), a
    few hundredths of a second where building took tenths, and what it returned read again
    from the database. The fixtures it builds on are set up first, as for any fixture, and read
    again after, since the world may have changed their rows (a parent's child count).
    A transactional test, outside any transaction to roll back to, builds it. A world is kept
    only for tables its builder changed: the test's other fixtures should add their rows after
    it (ask for the world first), as with `site_tree`."""
    key = f"{build.__module__}.{build.__qualname__}"

    @functools.wraps(build)
    def fixture(**needs):
        if not connection.in_atomic_block:
            return build(**needs)
        snapshot = _WORLDS.get(key)
        if snapshot is None:
            snapshot = Snapshot(lambda: build(**needs))
            snapshot.take()
            _WORLDS[key] = snapshot
            # What the build left outside the database goes with its rolled-back rows, so the
            # first test starts where every later one does: mail it sent, cached lookups.
            if hasattr(mail, "outbox"):
                mail.outbox.clear()
            cache.clear()
        result = reloaded(snapshot.put_back())
        _refresh(needs)
        return result

    return pytest.fixture(fixture)


@pytest.fixture
def site_tree(site_tree_snapshot, db):
    """The small site of `build_site()`. In a test in a transaction it is put back from the
    process's snapshot; a transactional test (outside any transaction to roll back to) builds
    it."""
    if site_tree_snapshot.tables is None or not connection.in_atomic_block:
        return build_site()
    return reloaded(site_tree_snapshot.put_back())


def fill_organisation():
    org = OrganisationSettings.load()
    org.organisation_name = "Invest in Open Infrastructure"
    org.contact_email = "info@investinopen.org"
    org.website_url = "https://investinopen.org/"
    org.postal_address = "1 Example Street\nExample Town"
    org.newsletter_url = "https://share.investinopen.org/newsletter"
    org.social_profiles = [
        {"type": "profile", "value": {"service": "mastodon", "url": "https://example.social/@ioi"}}
    ]
    org.save()
    OrganisationWording.objects.update_or_create(
        locale=Locale.get_default(),
        defaults={
            "tagline": "Evidence and funding for open infrastructure",
            "footer_text": "Content licensed CC BY 4.0.",
        },
    )
    return org


@pytest.fixture
def organisation(db):
    return fill_organisation()


def make_contacts(organisation):
    """Three contacts: general (the primary), press, and a funding one kept off the site."""
    # The purposes come from a data migration; get_or_create also serves on emptied tables. In
    # English, since a Spanish purpose may have the same name.
    english = Locale.get_default()
    general, _ = ContactPurpose.objects.get_or_create(name="General", locale=english)
    press, _ = ContactPurpose.objects.get_or_create(name="Press", locale=english)
    funding, _ = ContactPurpose.objects.get_or_create(name="Funding", locale=english)
    people = SimpleNamespace(
        general=Contact.objects.create(
            name="Info desk", role="General enquiries", email="info@example.org", purpose=general
        ),
        press=Contact.objects.create(
            name="Pat Press",
            role="Communications",
            email="press@example.org",
            phone="+44 20 7946 0000",
            purpose=press,
        ),
        funding=Contact.objects.create(
            name="Fund Routing", email="funds@example.org", purpose=funding, is_public=False
        ),
    )
    organisation.primary_contact = people.general
    organisation.save()
    return people


@world
def contacts(db, organisation):
    return make_contacts(organisation)


@pytest.fixture
def feature(db):
    def _feature(home, *initiatives):
        for n, initiative in enumerate(initiatives):
            FeaturedInitiative.objects.create(page=home, initiative=initiative, sort_order=n)

    return _feature


# People in the admin

PASSWORD = "correct horse battery staple"
ROLE_GROUPS = {
    "editor": EDITORS,
    "moderator": MODERATORS,
    "contact manager": CONTACT_MANAGERS,
    "translator": TRANSLATORS,
}


def role_groups():
    """The role groups and the moderation workflow, as the migration makes them; recreated
    where a test has emptied every table (test_roles.py runs `sync_roles` itself)."""
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    if len(groups) == len(ROLES):
        return groups
    tree_root()
    root_collection()
    return sync_roles()


@pytest.fixture
def roles(db):
    return role_groups()


def create_user(role, username=None, groups=None):
    """A user in that role ("editor", "moderator", ...); "administrator" gives a superuser."""
    from django.contrib.auth import get_user_model

    username = username or role.replace(" ", "-")
    users = get_user_model().objects
    if role == "administrator":
        return users.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = users.create_user(username, f"{username}@example.org", PASSWORD, first_name=role.title())
    user.groups.add((groups or role_groups())[ROLE_GROUPS[role]])
    return user


@pytest.fixture
def make_user(roles):
    """make_user("editor") -> a user in that role; "administrator" gives a superuser."""

    def _make_user(role, username=None):
        return create_user(role, username, roles)

    return _make_user


# The browser


def _chromium_or_skip():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    reason = (
        f"Chromium not found at {CHROMIUM}: install Debian's chromium "
        "(apt-get install chromium) to run the browser tests."
    )
    if os.environ.get("IOI_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " IOI_REQUIRE_BROWSER=1 makes this a failure.")
    pytest.skip(reason)


class OneRequestAtATime:
    """A WSGI application that answers one request at a time."""

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.application(environ, start_response)


class LiveServerOnOneConnection(ThreadedWSGIServer):
    """The browser tests' live server. On SQLite the test database is in memory, and Django has
    the server's threads share the test's one connection to it; two requests at once (a page's
    images and a form's post, an admin view's background requests) would run inside each
    other's transactions and break them. Requests on a shared connection wait their turn; the
    connections themselves are still accepted at once, as a browser opens several. PostgreSQL
    gives each thread a connection of its own and is left to answer in parallel."""

    def set_app(self, application):
        shared = bool(self.connections_override)
        super().set_app(OneRequestAtATime(application) if shared else application)


LiveServerThread.server_class = LiveServerOnOneConnection


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def seeded(db, django_db_setup):
    """The IOI site as `make run` builds it, restored into this test's transaction from the run's
    one seeded copy; returns the home page. Ask for it before any fixture that adds rows (users,
    pages): the restore replaces every table's rows."""
    django_db_setup.restore()
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def seeded_site(django_db_setup, live_server):
    """The seeded site (as `seeded`), served on 127.0.0.1; returns its address."""
    django_db_setup.restore()
    return live_server.url


def axe_violations(tab, contrast=True):
    """axe-core's report of the page in the tab, or "" when it finds nothing. `contrast=False`
    leaves out the colour-contrast rule (see AUDIT_WIDTHS)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    results = Axe().run(tab, options=options)
    return results.generate_report() if results.violations_count else ""


# A desktop's and a phone's width: every public page is audited at both, with every rule at the
# first. Colour contrast is checked at the desktop's width only: static/css/site.css sets no
# colour under a width condition, so the colours are the same at both, and that one rule is
# some four fifths of axe's time on a page (0.2-0.5 s of Chromium's CPU; every other rule
# together 0.03-0.06 s).
AUDIT_WIDTHS = (1280, 390)


def audit_pages(browser, base_url, paths, check=None):
    """axe-core on each page at each of AUDIT_WIDTHS. Returns one text naming every page with
    violations and what they are, "" when there are none. `check(path, response, tab)` asserts
    what else each page must be, before the audit."""
    reports = []
    for width in AUDIT_WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        for path in paths:
            response = tab.goto(f"{base_url}{path}")
            if check:
                check(path, response, tab)
            if report := axe_violations(tab, contrast=width == AUDIT_WIDTHS[0]):
                reports.append(f"{path} at {width}px:\n{report}")
        context.close()
    return "\n\n".join(reports)


def sign_in(tab, base_url, username):
    """Through the admin's sign-in form, as a person would; the tab is left on the dashboard."""
    tab.goto(f"{base_url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{base_url}/admin/")


def signed_in(tab, base_url, username):
    """The tab's browser signed in as `username` by a session made on the server, for a journey
    whose next step is an admin page of its own: the sign-in page and the dashboard it leads to
    are two admin pages for the server and Chromium to render (docs/testing.md), which a dozen
    sign-ins paid for nothing. `sign_in` keeps the form in the journeys that go on from the
    dashboard; the sign-in itself is tested in test_staff_2fa_browser.py (in the browser) and
    test_staff_2fa.py."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(
        get_user_model().objects.get(username=username),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


@pytest.fixture
def screenshot(tmp_path):
    """Saves a tab's picture under a name. `make screenshots` sets IOI_SCREENSHOTS to
    docs/img/ so the editors' guide shows what the tests saw; otherwise it goes to a temporary
    folder, so the step is still exercised."""
    folder = Path(os.environ.get("IOI_SCREENSHOTS") or tmp_path)

    def _screenshot(tab, name):
        folder.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=folder / f"{name}.png")

    return _screenshot


def watch_csp(tab, violations):
    """Collects what the browser reports refusing under the Content-Security-Policy."""
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


# What the browser refused under the Content-Security-Policy in the tabs of the browser journeys
# (`pages/tests/test_moderation_browser.py: new_tab` watches each tab into it).
CSP_VIOLATIONS = []


@pytest.fixture
def no_csp_violations():
    """For a journey's module (`pytest.mark.usefixtures("no_csp_violations")`): the admin and the
    pages work under their Content-Security-Policy, so the browser refused nothing."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS


@contextmanager
def browser_tab(browser, **options):
    """A tab at a desktop's width in a context of its own (`options`: Playwright's, such as
    java_script_enabled=False), closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page_in_browser(browser):
    """A tab; the test fails if the page broke its Content-Security-Policy anywhere."""
    violations = []
    with browser_tab(browser) as tab:
        watch_csp(tab, violations)
        yield tab
    assert not violations, violations
