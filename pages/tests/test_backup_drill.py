"""The restore drill, on the suite's own kind of database: a SQLite file on the first pass, a
PostgreSQL database made for the drill on the second (.ci/run's, with DATABASE_URL).

The seeded site with production settings, plus what a backup must not lose: revisions, a
draft, a scheduled page, contact messages, an uploaded image with a rendition, a document.
`make backup` runs while gunicorn serves it; then the site is changed and restored, then wiped
(database and media gone) and restored again, each time with `make restore`; every row of
every table and every media file's hash must be back, and the restored site must serve the
same pages. A truncated file, a file that is no backup and a restore nobody confirmed must be
refused with everything as it was.

The commands run in processes of their own, on the drill's own database and media folder:
nothing here touches the suite's test database."""

import gzip
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
from contextlib import closing
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from pages.backups import archive

from .servers import PYTHON, ROOT, collect_static, copy_site, production_env, start_gunicorn, stop

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith("postgres")
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)")

# What a backup must keep, added to the seeded site; prints the addresses to compare.
ADD_CONTENT = """
import json
from datetime import timedelta
from io import BytesIO

import django

django.setup()
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as Picture
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page

from pages.contacts.models import ContactMessage
from pages.models import InitiativePage, StandardPage

buffer = BytesIO()
Picture.new("RGB", (1600, 900), (11, 79, 108)).save(buffer, "PNG")
image = Image.objects.create(title="Workshop", file=ContentFile(buffer.getvalue(), "workshop.png"))
image.get_rendition("fill-400x300")
document = Document.objects.create(
    title="Annual report", file=ContentFile(b"%PDF-1.4 annual report", "annual-report.pdf")
)
initiative = InitiativePage.objects.live().first()
initiative.hero_image, initiative.hero_image_alt = image, "People at a workshop"
initiative.save_revision().publish()
about = StandardPage.objects.get(url_path="/home/about/")
for edition in (1, 2):
    about.introduction = f"Who we are, edition {edition}."
    about.save_revision().publish()
home = about.get_parent()
draft = StandardPage(title="Draft plans", slug="draft-plans", live=False)
home.add_child(instance=draft)
draft.introduction = "Not for the public yet."
draft.save_revision()
scheduled = StandardPage(title="Coming soon", slug="coming-soon", live=False)
home.add_child(instance=scheduled)
scheduled.go_live_at = timezone.now() + timedelta(days=30)
scheduled.save_revision().publish()
for n in range(3):
    ContactMessage.objects.create(
        name=f"Sender {n}", email=f"sender{n}@example.org", message=f"Message number {n}."
    )
print(json.dumps({
    "pages": sorted(p.url for p in Page.objects.live().public().specific() if p.url),
    "hidden": ["/draft-plans/", "/coming-soon/"],
    "document": document.url,
    "initiative": initiative.url,
}))
"""

KEPT_TABLES = [
    "wagtailcore_page",
    "wagtailcore_revision",
    "pages_contactmessage",
    "wagtailimages_image",
    "wagtailimages_rendition",
    "wagtaildocs_document",
]


def python(env, code):
    result = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def make(env, target, stdin=subprocess.DEVNULL, **variables):
    """`make <target> NAME=value ...` as a person types it, in the checkout's own Makefile."""
    return subprocess.run(
        ["make", "-s", target, *(f"{name}={value}" for name, value in variables.items())],
        env=env,
        cwd=ROOT,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


def media_hashes(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Per-response values in forms (the CSRF token, the contact form's signed time).
HIDDEN_VALUE = re.compile(r'(<input type="hidden" name="[^"]+" value=")[^"]*"')


def served(base_url, content):
    """What each page, the document and the hidden pages answer: status and body hash."""
    answers = {}
    with httpx.Client(base_url=base_url, timeout=30, headers={"Host": "127.0.0.1"}) as client:
        for address in [*content["pages"], *content["hidden"], content["document"]]:
            response = client.get(address)
            body = (
                HIDDEN_VALUE.sub(r'\1"', response.text)
                if "html" in response.headers.get("content-type", "")
                else response.content.hex()
            )
            answers[address] = (response.status_code, hashlib.sha256(body.encode()).hexdigest())
    return answers


class Drill:
    """The drill's site: its own database and media folder, and the environment to run it."""

    def __init__(self, workdir, database_url, server_url):
        self.workdir = workdir
        self.media = workdir / "media"
        self.backups = workdir / "backups"
        self.database_url = database_url
        self.server_url = server_url
        self.env = production_env(
            workdir,
            DATABASE_URL=database_url,
            DJANGO_SITE_URL="http://127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            BACKUP_DIR=str(self.backups),
            DJANGO_SUPERUSER_PASSWORD=secrets.token_urlsafe(20),
        )
        for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            self.env.pop(name, None)

    def snapshot(self):
        """Every row of every table, as a count and a hash per table, read through the database
        driver in this process (a Django process per snapshot cost seconds each)."""
        if ON_POSTGRES:
            import psycopg

            database = psycopg.connect(self.database_url)
            listing = (
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')"
            )
        else:
            database = sqlite3.connect(self.workdir / "site.sqlite3")
            listing = (
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                " AND name != 'sqlite_sequence'"
            )
        tables = {}
        with closing(database):
            for (table,) in sorted(database.execute(listing).fetchall()):
                rows = sorted(
                    repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                    for row in database.execute(f'SELECT * FROM "{table}"').fetchall()
                )
                tables[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
        return tables

    def state(self):
        return self.snapshot(), media_hashes(self.media)

    def wipe(self):
        if ON_POSTGRES:
            import psycopg

            name = urlsplit(self.database_url).path.strip("/")
            with psycopg.connect(self.server_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name}"')
        else:
            (self.workdir / "site.sqlite3").unlink()
        shutil.rmtree(self.media)


@pytest.fixture(scope="module")
def drill(request, tmp_path_factory, django_db_setup, django_db_blocker):
    """The run's seeded site in a database of the drill's own: on SQLite a copy of the released
    site (conftest.py), on PostgreSQL a database made from the run's template (the seeded copy
    the tests restore, pages/tests/databases.py) with the static files collected beside it (the
    released site, a SQLite file built from nothing on this pass, would cost half a minute)."""
    workdir = tmp_path_factory.mktemp("backup-drill")
    name = f"ioi_backup_drill_{secrets.token_hex(4)}"
    server_url = ""
    if ON_POSTGRES:
        import psycopg

        parts = urlsplit(DATABASE_URL)
        server_url = urlunsplit(parts._replace(path="/postgres"))
        database_url = urlunsplit(parts._replace(path=f"/{name}"))
    else:
        database_url = f"sqlite:///{workdir}/site.sqlite3"
    site = Drill(workdir, database_url, server_url)
    try:
        if ON_POSTGRES:
            with django_db_blocker.unblock():
                django_db_setup.postgres_seeded_database(name)
            collect_static(site.env)
        else:
            # The run's one build (conftest.py).
            copy_site(request.getfixturevalue("released_site"), workdir)
        site.content = python(site.env, ADD_CONTENT)
        yield site
    finally:
        if ON_POSTGRES:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def backup(drill):
    """`make backup` while gunicorn serves the site and a reader keeps asking for pages. Returns
    the backup's path, what make printed, the site's state and pages when it was made, and the
    answers the reader had meanwhile."""
    server, url = start_gunicorn(drill.env)
    statuses = []
    try:
        pages = served(url, drill.content)  # renditions are made on the first view
        state = drill.state()
        done = threading.Event()

        def read():
            with httpx.Client(base_url=url, timeout=30, headers={"Host": "127.0.0.1"}) as client:
                for n in range(2000):  # bounded; the backup takes seconds
                    if done.is_set():
                        return
                    statuses.append(client.get(drill.content["pages"][n % 5]).status_code)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            result = make(drill.env, "backup")
        finally:
            done.set()
            reader.join(timeout=60)
    finally:
        stop(server)
    assert result.returncode == 0, result.stderr
    (path,) = drill.backups.glob("ioisite-backup-*.tar")
    return {"path": path, "output": result.stdout, "state": state, "pages": pages, "read": statuses}


def test_make_backup_writes_one_file_and_says_where_while_the_site_serves(drill, backup):
    path = backup["path"]
    first_line = backup["output"].splitlines()[0]
    assert first_line.startswith(f"{path}  ")
    assert re.search(r"\d+(\.\d)? (KB|MB)$", first_line), first_line
    assert "media files" in backup["output"]
    assert path.stat().st_mode & 0o777 == 0o600, "a backup holds messages: its owner's only"
    assert backup["read"] and set(backup["read"]) == {200}, "pages failed during the backup"


def test_the_restore_drill(drill, backup):
    before, files = backup["state"]
    for table in KEPT_TABLES:
        assert before[table][0] > 0, f"the drill's site has no {table} rows"
    assert any(name.startswith("images/") for name in files)
    assert any(name.startswith("documents/") for name in files)

    # A restore over a site that moved on: a message and an upload since, a file lost.
    python(
        drill.env,
        "import django; django.setup(); from pages.contacts.models import ContactMessage; "
        "ContactMessage.objects.create(name='Later', email='l@example.org', message='Later.'); "
        "print('{}')",
    )
    (drill.media / "images" / "later.png").write_bytes(b"later")
    next(drill.media.glob("documents/*")).unlink()
    assert drill.state() != (before, files)  # the snapshot sees what changed
    result = make(drill.env, "restore", BACKUP=backup["path"], NOINPUT=1)
    assert result.returncode == 0, result.stderr
    assert "Restored the database and" in result.stdout
    assert drill.state() == (before, files)

    # Both lost: the database and the media folder.
    drill.wipe()
    result = make(drill.env, "restore", BACKUP=backup["path"], NOINPUT=1)
    assert result.returncode == 0, result.stderr
    assert drill.state() == (before, files)

    server, url = start_gunicorn(drill.env)
    try:
        pages = served(url, drill.content)
    finally:
        stop(server)
    assert pages == backup["pages"]
    assert {status for status, _ in pages.values()} == {200, 404}
    assert all(pages[address][0] == 404 for address in drill.content["hidden"])


def refused(drill, result, message, before):
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Nothing was" in result.stderr
    assert drill.state() == before, "a refused restore changed the site"
    assert not list(drill.media.glob(".restoring-*")), "a refused restore left files behind"


def test_a_truncated_backup_is_refused_and_nothing_changes(drill, backup, tmp_path):
    before = drill.state()
    data = backup["path"].read_bytes()
    cut = tmp_path / backup["path"].name
    cut.write_bytes(data[: len(data) * 2 // 3])
    result = make(drill.env, "restore", BACKUP=cut, NOINPUT=1)
    refused(drill, result, "is damaged or incomplete", before)


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(drill, tmp_path):
    before = drill.state()
    other = tmp_path / "photos.tar"
    other.write_bytes(os.urandom(64 * 1024))
    result = make(drill.env, "restore", BACKUP=other, NOINPUT=1)
    refused(drill, result, "is not a backup of this site", before)


def test_a_restore_nobody_confirmed_is_refused_and_nothing_changes(drill, backup):
    before = drill.state()
    result = make(drill.env, "restore", BACKUP=backup["path"])  # no input at all
    refused(drill, result, "there was no answer", before)
    assert "--noinput" in result.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="psql's one transaction: the PostgreSQL pass")
def test_a_database_restore_that_fails_halfway_changes_nothing(drill, backup, tmp_path):
    before = drill.state()
    with tarfile.open(backup["path"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = gzip.decompress(tar.extractfile("database.sql.gz").read())
        (tmp_path / "media.tar.gz").write_bytes(tar.extractfile("media.tar.gz").read())
    # A statement that fails after every table has been dropped and loaded again.
    end = b"\n-- PostgreSQL database dump complete"
    assert end in dump
    failing = dump.replace(end, b"\nSELECT 1/0;" + end)
    (tmp_path / "database.sql.gz").write_bytes(gzip.compress(failing))
    path = tmp_path / "failing.tar"
    fields = {k: v for k, v in manifest.items() if k not in ("format", "version", "members")}
    archive.write(path, fields, [tmp_path / "database.sql.gz", tmp_path / "media.tar.gz"])
    result = make(drill.env, "restore", BACKUP=path, NOINPUT=1)
    refused(drill, result, "The database could not be restored", before)
    assert "division by zero" in result.stderr
