"""backup_site and restore_site in this process: what the backup file holds, pruning, and every
kind of file a restore must refuse before it changes anything. The tests of refusals use no
database at all, so a refusal that came too late would fail on pytest-django's guard; the
round trip itself is the drill's (test_backup_drill.py), on a database of its own."""

import gzip
import hashlib
import io
import json
import os
import re
import secrets
import shlex
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import clean_env
from pages.backups import archive, database, media
from pages.backups.errors import BackupRefused
from pages.backups.operations import PREFIX, SUFFIX, size_text

ROOT = Path(__file__).resolve().parents[2]
RUNBOOK = ROOT / "docs" / "deployment.md"
VENDOR = connection.vendor
OTHER_VENDOR = {"sqlite": "postgresql", "postgresql": "sqlite"}[VENDOR]


@pytest.fixture(scope="module")
def migrations_read(django_db_setup, django_db_blocker):
    """A restore's check reads the migration graph, and wagtail-localize's first migration asks
    the database a question when Python first imports it. Imported here once, with the test
    database open, as it would be where the command runs, so that pytest-django's guard in the
    tests below catches the command's own use of the database, not that import (which passed
    or failed by whichever test happened to run first in the process). Through `folders`: the
    tests that start processes of their own do not wait for the test database."""
    from django.db.migrations.loader import MigrationLoader

    with django_db_blocker.unblock():
        MigrationLoader(None, ignore_no_migrations=True)


@pytest.fixture
def folders(tmp_path, settings, migrations_read):
    """A media folder with an image and a document, and an empty folder for backups."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "workshop.png").write_bytes(b"\x89PNG picture")
    (settings.MEDIA_ROOT / "documents").mkdir()
    (settings.MEDIA_ROOT / "documents" / "report.pdf").write_bytes(b"%PDF-1.4 report")
    return settings.MEDIA_ROOT, settings.BACKUP_DIR


def tree(folder):
    """Every path under `folder` with its file's hash: what a refused restore must not change."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(Path(folder).rglob("*"))
    }


def database_member(folder, vendor=VENDOR, readable=True):
    """A database member as backup_site writes one for `vendor`."""
    if vendor == "sqlite":
        raw = folder / "raw.sqlite3"
        raw.unlink(missing_ok=True)
        if readable:
            with sqlite3.connect(raw) as db:
                db.execute("CREATE TABLE django_migrations (id integer, app text, name text)")
            db.close()
        else:
            raw.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
        data, name = raw.read_bytes(), "database.sqlite3.gz"
    else:
        end = b"-- PostgreSQL database dump complete\n--\n" if readable else b""
        data, name = (
            b"--\n-- PostgreSQL database dump\n--\nSELECT 1;\n--\n" + end,
            "database.sql.gz",
        )
    member = folder / name
    member.write_bytes(gzip.compress(data))
    return member


def media_member(folder, files=None):
    source = folder / "media-source"
    for name, content in (files or {"original_images/workshop.png": b"restored"}).items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(content)
    member = folder / "media.tar.gz"
    with open(member, "wb") as packed:
        media.pack(source, packed)
    return member


def fields(vendor=VENDOR, migrations=()):
    return {
        "site": {"name": "Invest in Open Infrastructure", "url": ""},
        "created_at": "2026-01-01T03:00:00Z",
        "database": {"vendor": vendor, "migrations": list(migrations)},
        "media": {"files": 1, "bytes": 8},
    }


def craft(folder, *, vendor=VENDOR, migrations=(), readable=True, media_archive=None, **extra):
    """A backup made with the format's own writer, so that each test can vary one thing."""
    work = folder / "craft"
    work.mkdir(exist_ok=True)
    members = [database_member(work, vendor, readable), media_archive or media_member(work)]
    path = folder / f"{PREFIX}20260101-030000Z-{secrets.token_hex(3)}{SUFFIX}"
    archive.write(path, {**fields(vendor, migrations), **extra}, members)
    return path


def restore(path, **options):
    call_command("restore_site", str(path), interactive=False, stdout=io.StringIO(), **options)


def assert_refused(path, message, media_root):
    before = tree(media_root)
    with pytest.raises(CommandError) as refusal:
        restore(path)
    assert message in str(refusal.value)
    assert "Nothing was changed." in str(refusal.value)
    assert tree(media_root) == before


# What backup_site writes


@pytest.mark.django_db
def test_backup_site_writes_one_private_file_whose_manifest_checks_every_member(folders):
    media_root, backups = folders
    (media_root / "linked.png").symlink_to(media_root / "original_images" / "workshop.png")
    (media_root / f"{media.UNPACKED}0123").mkdir()  # an interrupted restore's leftovers
    (media_root / f"{media.UNPACKED}0123" / "old.png").write_bytes(b"old")
    out = io.StringIO()
    call_command("backup_site", stdout=out)

    (path,) = backups.iterdir()
    assert path.name.startswith(PREFIX) and path.name.endswith(SUFFIX)
    assert out.getvalue().splitlines()[0] == f"{path.resolve()}  {size_text(path.stat().st_size)}"
    assert "2 media files" in out.getvalue()
    assert path.stat().st_mode & 0o777 == 0o600
    assert backups.stat().st_mode & 0o777 == 0o700

    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        contents = {name: tar.extractfile(name).read() for name in names[1:]}
    assert names[0] == "manifest.json"
    assert manifest["format"] == "ioisite-backup" and manifest["version"] == 1
    assert manifest["site"]["name"] == "Invest in Open Infrastructure"
    assert manifest["database"]["vendor"] == VENDOR
    assert "wagtailcore.0001_initial" in manifest["database"]["migrations"]
    assert [m["name"] for m in manifest["members"]] == names[1:]
    for member in manifest["members"]:
        assert hashlib.sha256(contents[member["name"]]).hexdigest() == member["sha256"]
        assert len(contents[member["name"]]) == member["bytes"]
    with tarfile.open(fileobj=io.BytesIO(contents["media.tar.gz"])) as packed:
        assert sorted(packed.getnames()) == [
            "documents",
            "documents/report.pdf",
            "original_images",
            "original_images/workshop.png",
        ]
        assert packed.extractfile("documents/report.pdf").read() == b"%PDF-1.4 report"
    database = gzip.decompress(contents[names[1]])
    if VENDOR == "sqlite":
        assert database.startswith(b"SQLite format 3\x00")
    else:
        assert b"CREATE TABLE public.wagtailcore_page" in database


@pytest.mark.django_db
def test_keep_deletes_only_the_oldest_backups(folders):
    _, backups = folders
    backups.mkdir()
    old = [backups / f"{PREFIX}2025010{n}-030000Z{SUFFIX}" for n in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"an old backup")
    (backups / "notes.txt").write_text("not a backup")

    call_command("backup_site", keep=2, stdout=io.StringIO())

    remaining = sorted(path.name for path in backups.iterdir())
    assert len(remaining) == 3
    assert old[2].name in remaining and "notes.txt" in remaining
    with pytest.raises(CommandError, match="--keep must be 1 or more"):
        call_command("backup_site", keep=0, stdout=io.StringIO())


@pytest.mark.django_db
def test_the_nightly_backup_line_in_the_runbook_runs_as_written(folders):
    block = re.search(r"<!-- backup-lines\b.*?-->\n```\n(.*?)```", RUNBOOK.read_text(), re.S)
    (line,) = [line for line in block.group(1).splitlines() if line.strip()]
    words = shlex.split(line.split("#", 1)[0])[5:]  # after the five time fields
    assert words[:2] == ["python", "manage.py"]
    call_command(*words[2:], stdout=io.StringIO())
    assert len(list(folders[1].glob(f"{PREFIX}*{SUFFIX}"))) == 1


# Files restore_site refuses, before anything is changed


def test_a_random_file_is_not_a_backup(folders, tmp_path):
    path = tmp_path / "random.tar"
    path.write_bytes(os.urandom(20_000))
    assert_refused(path, "is not a backup of this site: it is not a tar archive", folders[0])


def test_an_empty_file_is_not_a_backup(folders, tmp_path):
    path = tmp_path / "empty.tar"
    path.touch()
    assert_refused(path, "is not a backup of this site", folders[0])


def test_a_missing_file_is_named(folders, tmp_path):
    assert_refused(tmp_path / "nowhere.tar", "There is no backup file at", folders[0])
    assert_refused(tmp_path, "There is no backup file at", folders[0])  # a folder


def test_another_tar_archive_is_not_a_backup(folders, tmp_path):
    path = tmp_path / "photos.tar"
    with tarfile.open(path, "w") as tar:
        tar.add(folders[0] / "documents" / "report.pdf", arcname="report.pdf")
    assert_refused(path, "it has no backup manifest", folders[0])


@pytest.mark.parametrize(
    "manifest, message",
    [
        (b"not json", "its manifest is not readable"),
        (b'["a list"]', "it has no backup manifest"),
        (b'{"format": "other-site-backup", "version": 1}', "it is a 'other-site-backup' file"),
        (b'{"format": "ioisite-backup", "version": 2, "members": []}', "format version 2"),
        (b'{"format": "ioisite-backup", "version": 1, "members": [{"name": "../x"}]}', "list"),
    ],
)
def test_a_manifest_that_is_not_ours_is_refused(folders, tmp_path, manifest, message):
    path = tmp_path / "other.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    before = tree(folders[0])
    with pytest.raises(CommandError, match="Nothing was changed") as refusal:
        restore(path)
    assert message in str(refusal.value)
    assert tree(folders[0]) == before


def test_a_backup_cut_short_anywhere_is_refused(folders, tmp_path):
    data = craft(tmp_path).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member_ends = [m.offset_data + m.size for m in tar.getmembers()]
    # Past the last member's end come only the zeros that pad a tar: every byte that matters
    # is before it.
    cuts = sorted({*range(0, member_ends[-1], member_ends[-1] // 25), *member_ends})
    cuts[-1] -= 1
    for cut in cuts:
        path = tmp_path / f"cut-{cut}.tar"
        path.write_bytes(data[:cut])
        expected = "damaged or incomplete" if cut >= 512 else "is not a backup of this site"
        assert_refused(path, expected, folders[0])


def test_a_changed_byte_is_refused(folders, tmp_path):
    path = craft(tmp_path)
    with tarfile.open(path) as tar:
        offset = tar.getmember("media.tar.gz").offset_data + 20
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    assert_refused(path, "media.tar.gz is not the file its manifest describes", folders[0])


def test_a_member_the_manifest_does_not_list_is_refused(folders, tmp_path):
    path = craft(tmp_path)
    with tarfile.open(path, "a") as tar:
        tar.add(folders[0] / "documents" / "report.pdf", arcname="extra.pdf")
    assert_refused(path, "it holds 'extra.pdf', which its manifest does not list", folders[0])


def test_a_manifest_without_media_or_database_details_is_refused(folders, tmp_path):
    assert_refused(craft(tmp_path, database={}), "does not describe its database", folders[0])
    assert_refused(craft(tmp_path, media="lots"), "does not describe its media", folders[0])


def test_a_backup_of_the_other_kind_of_database_is_refused(folders, tmp_path):
    assert_refused(
        craft(tmp_path, vendor=OTHER_VENDOR),
        f"database, and this site runs on {'SQLite' if VENDOR == 'sqlite' else 'PostgreSQL'}",
        folders[0],
    )


def test_a_backup_from_a_newer_version_of_the_site_is_refused(folders, tmp_path):
    path = craft(tmp_path, migrations=["wagtailcore.0001_initial", "pages.9999_from_the_future"])
    assert_refused(path, "made by a newer version of the site", folders[0])


def test_a_database_that_is_not_whole_is_refused(folders, tmp_path):
    assert_refused(craft(tmp_path, readable=False), "The database in", folders[0])


def test_a_database_member_that_does_not_unpack_is_refused(folders, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    broken = work / ("database.sqlite3.gz" if VENDOR == "sqlite" else "database.sql.gz")
    broken.write_bytes(gzip.compress(b"x" * 5000)[:-30])
    path = tmp_path / "broken.tar"
    archive.write(path, fields(), [broken, media_member(work)])
    assert_refused(path, "its database cannot be unpacked", folders[0])


def unsafe_media(folder, add):
    member = folder / "media.tar.gz"
    with tarfile.open(member, "w:gz") as tar:
        add(tar)
    return member


def file_entry(name, data=b"x"):
    def add(tar):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))

    return add


def link_entry(tar):
    info = tarfile.TarInfo("images/passwd")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    tar.addfile(info)


def twice(tar):
    file_entry("images/a.png")(tar)
    file_entry("images/a.png")(tar)


@pytest.mark.parametrize(
    "add, message",
    [
        (file_entry("../outside.txt"), "outside the media folder"),
        (file_entry("/etc/cron.d/evil"), "outside the media folder"),
        (file_entry(".restoring-x/a.png"), "outside the media folder"),
        (link_entry, "which is not a file or a folder"),
        (twice, "holds the same file twice"),
    ],
)
def test_a_media_archive_that_would_write_elsewhere_is_refused_before_the_database(
    folders, tmp_path, add, message
):
    work = tmp_path / "work"
    work.mkdir()
    path = craft(tmp_path, media_archive=unsafe_media(work, add))
    # Were the database touched, pytest-django would fail the test: it has no access here.
    assert_refused(path, message, folders[0])
    assert not (folders[0].parent / "outside.txt").exists()


def test_a_damaged_media_archive_is_refused_before_the_database(folders, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    member = work / "media.tar.gz"
    member.write_bytes(gzip.compress(b"not a tar archive" * 100))
    assert_refused(craft(tmp_path, media_archive=member), "media archive is damaged", folders[0])


# Asking first


def test_a_restore_is_not_done_without_a_yes(folders, tmp_path, monkeypatch):
    path = craft(tmp_path)
    before = tree(folders[0])
    for typed, message in [("", "there was no answer"), ("no\n", "Nothing was restored.")]:
        monkeypatch.setattr("sys.stdin", io.StringIO(typed))
        out = io.StringIO()
        with pytest.raises(CommandError, match=message):
            call_command("restore_site", str(path), stdout=out)
        assert "It checks out whole" in out.getvalue()
        assert "everything since the backup is lost" in out.getvalue()
        assert tree(folders[0]) == before


def test_without_a_file_restore_site_lists_the_backups(folders, tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Say which backup to restore"):
        call_command("restore_site", stdout=out)
    assert "There are no backups in" in out.getvalue()

    folders[1].mkdir()
    older = folders[1] / f"{PREFIX}20250101-030000Z{SUFFIX}"
    newer = folders[1] / f"{PREFIX}20250102-030000Z{SUFFIX}"
    for path in (older, newer):
        path.write_bytes(b"x" * 2500)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("restore_site", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1:] == [f"  {newer}  2.5 KB", f"  {older}  2.5 KB"]


# Nothing to back up with


def run_backup_site(tmp_path, **variables):
    return subprocess.run(
        [sys.executable, "manage.py", "backup_site"],
        env=clean_env(BACKUP_DIR=str(tmp_path / "backups"), **variables),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_backup_site_says_so_when_there_is_no_database_yet(tmp_path):
    missing = tmp_path / "never-made.sqlite3"
    result = run_backup_site(tmp_path, DATABASE_URL=f"sqlite:///{missing}")
    assert result.returncode == 1
    assert "No backup was written. There is nothing to back up" in result.stderr
    assert str(missing) in result.stderr
    assert not missing.exists(), "looking for the database must not make an empty one"
    assert not (tmp_path / "backups").exists()


@pytest.mark.skipif(VENDOR != "postgresql", reason="pg_dump is PostgreSQL's")
def test_backup_site_says_what_to_install_without_pg_dump(tmp_path):
    result = run_backup_site(tmp_path, DATABASE_URL=os.environ["DATABASE_URL"], PATH="/nowhere")
    assert result.returncode == 1
    assert "No backup was written." in result.stderr
    assert "'pg_dump' not found" in result.stderr and "postgresql-client" in result.stderr
    assert list((tmp_path / "backups").iterdir()) == [], "a failed backup left a file behind"


@pytest.mark.django_db
def test_a_site_without_uploads_yet_is_backed_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "no-media-yet"
    settings.BACKUP_DIR = tmp_path / "backups"
    out = io.StringIO()
    call_command("backup_site", stdout=out)
    assert "0 media files (0 bytes)" in out.getvalue()
    (path,) = settings.BACKUP_DIR.iterdir()
    with tarfile.open(path) as tar, tarfile.open(fileobj=tar.extractfile("media.tar.gz")) as packed:
        assert packed.getnames() == []


def test_a_manifest_far_too_large_is_not_ours(folders, tmp_path):
    path = tmp_path / "huge.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = archive.MAX_MANIFEST_BYTES + 1
        tar.addfile(info, io.BytesIO(b" " * info.size))
    assert_refused(path, "its manifest is far too large", folders[0])


def test_a_backup_without_a_database_is_refused(folders, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    notes = work / "notes.gz"
    notes.write_bytes(gzip.compress(b"notes"))
    path = tmp_path / "no-database.tar"
    archive.write(path, fields(), [notes, media_member(work)])
    assert_refused(path, "its manifest lists neither a database nor the media", folders[0])


def test_a_media_folder_that_cannot_be_made_is_refused_before_the_database(
    folders, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "a-file"
    settings.MEDIA_ROOT.write_text("not a folder")
    with pytest.raises(CommandError, match="The media could not be unpacked into") as refusal:
        restore(craft(tmp_path))
    assert "Nothing was changed." in str(refusal.value)
    assert settings.MEDIA_ROOT.read_text() == "not a folder"


@pytest.mark.parametrize(
    "vendor, readable",
    [("sqlite", True), ("sqlite", False), ("postgresql", True), ("postgresql", False)],
)
def test_each_database_kind_knows_a_whole_copy_from_a_broken_one(tmp_path, vendor, readable):
    copy = tmp_path / "database"
    copy.write_bytes(gzip.decompress(database_member(tmp_path, vendor, readable).read_bytes()))
    check = database.CONNECTORS[vendor].check
    if readable:
        check(copy, "the backup")
    else:
        with pytest.raises(BackupRefused, match="The database in the backup is not"):
            check(copy, "the backup")


@pytest.mark.slow
def test_a_database_that_cannot_be_written_is_left_as_it_was_and_so_is_the_media(tmp_path):
    """In a process of its own, on SQLite: the database's folder does not exist."""
    backup = craft(tmp_path, vendor="sqlite")
    media_root = tmp_path / "media"
    (media_root / "images").mkdir(parents=True)
    (media_root / "images" / "kept.png").write_bytes(b"kept")
    before = tree(media_root)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_site", "--noinput", str(backup)],
        env=clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path}/no-such-folder/site.sqlite3",
            DJANGO_MEDIA_ROOT=str(media_root),
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "The database could not be restored. Nothing was changed" in result.stderr
    assert "unable to open database file" in result.stderr
    assert tree(media_root) == before
