"""Backing the site up to one file, and restoring it from one that has been checked whole
before anything is changed."""

import gzip
import itertools
import shutil
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

from . import archive, database, media
from .errors import BackupRefused

PREFIX = "ioisite-backup-"
SUFFIX = ".tar"
MEDIA_MEMBER = "media.tar.gz"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict

    @property
    def size(self):
        return self.path.stat().st_size


def back_up(folder, keep=None):
    """Writes a backup of the database and the media folder into `folder`, then, with `keep`,
    deletes the oldest backups there until `keep` are left. Returns the Backup."""
    connector = database.this_database()
    if not connector.exists():
        raise BackupRefused(
            f"There is nothing to back up: {connector.describe()} does not exist yet."
        )
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    made = datetime.now(UTC)
    # Built beside the backups, so that the finished file is renamed into place, never copied:
    # a backup under its final name is always whole.
    with tempfile.TemporaryDirectory(dir=folder, prefix=".partial-") as work:
        work = Path(work)
        # The database before the media: an upload's file is written before its row, so every
        # file the dump names is already there when the media folder is read.
        dump = connector.dump()
        with gzip.open(work / connector.member, "wb") as packed:
            shutil.copyfileobj(dump, packed)
        dump.close()
        with open(work / MEDIA_MEMBER, "wb") as packed:
            files, size = media.pack(settings.MEDIA_ROOT, packed)
        fields = {
            "site": {"name": settings.WAGTAIL_SITE_NAME, "url": settings.SITE_URL},
            "created_at": made.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": {
                "vendor": connector.connection.vendor,
                "migrations": database.applied_migrations(),
            },
            "media": {"files": files, "bytes": size},
        }
        written = work / "backup.tar"
        manifest = archive.write(written, fields, [work / connector.member, work / MEDIA_MEMBER])
        path = _new_name(folder, made)
        written.rename(path)
    if keep:
        prune(folder, keep)
    return Backup(path, manifest)


def _new_name(folder, made):
    stamp = made.strftime("%Y%m%d-%H%M%SZ")
    for n in itertools.count():
        path = folder / f"{PREFIX}{stamp}{f'-{n}' if n else ''}{SUFFIX}"
        if not path.exists():
            return path


def backups_in(folder):
    """The backups in `folder`, oldest first (their names sort by the time they were made)."""
    folder = Path(folder)
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def prune(folder, keep):
    """Deletes all but the newest `keep` backups in `folder`; returns what it deleted. Other
    files in the folder are never touched."""
    old = backups_in(folder)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


@dataclass
class Checked:
    """A backup read whole and found good, with its members unpacked into a scratch folder."""

    path: Path
    manifest: dict
    connector: object
    database_copy: Path
    media_archive: Path


def check(path, work):
    """Reads and checks the backup at `path`, unpacking it into the folder `work`: the manifest,
    every member's size and hash, the database dump, and that this code can run the database
    it holds. Raises BackupRefused, with nothing changed, for any file that fails."""
    manifest, copies = archive.read(path, work)
    connector = database.this_database()
    about = manifest.get("database")
    migrations = about.get("migrations") if isinstance(about, dict) else None
    if not isinstance(migrations, list) or not all(isinstance(name, str) for name in migrations):
        raise archive.damaged(path, "its manifest does not describe its database")
    shown = manifest.get("media")
    if not isinstance(shown, dict) or not all(
        isinstance(shown.get(key), int) for key in ("files", "bytes")
    ):
        raise archive.damaged(path, "its manifest does not describe its media")
    vendor = about.get("vendor")
    if vendor != connector.connection.vendor:
        theirs = database.KINDS.get(vendor, repr(vendor))
        ours = database.KINDS[connector.connection.vendor]
        raise BackupRefused(
            f"{path} is a backup of a {theirs} database, and this site runs on {ours}: "
            f"restore it where the site runs on {theirs}. Nothing was changed."
        )
    if connector.member not in copies or MEDIA_MEMBER not in copies:
        raise archive.damaged(path, "its manifest lists neither a database nor the media")
    unknown = _migrations_this_code_lacks(migrations)
    if unknown:
        raise BackupRefused(
            f"{path} was made by a newer version of the site: its database has migrations "
            f"this code does not have ({', '.join(unknown[:5])}). Restore it with the version "
            "of the site that made it. Nothing was changed."
        )
    database_copy = Path(work) / "database"
    try:
        with gzip.open(copies[connector.member]) as packed, open(database_copy, "wb") as copy:
            shutil.copyfileobj(packed, copy)
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise archive.damaged(path, "its database cannot be unpacked") from None
    connector.check(database_copy, path)
    return Checked(path, manifest, connector, database_copy, copies[MEDIA_MEMBER])


def _migrations_this_code_lacks(applied):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set()
    for key, migration in loader.disk_migrations.items():
        known.add(key)
        known.update(migration.replaces or ())
    return [name for name in applied if tuple(name.split(".", 1)) not in known]


def restore(checked):
    """Restores a checked backup: the media unpacked beside the live files, then the database
    in one step, then the unpacked media swapped in. A failure before the swap leaves both as
    they were."""
    try:
        unpacked = media.unpack(checked.media_archive, settings.MEDIA_ROOT)
    except OSError as error:
        raise BackupRefused(
            f"The media could not be unpacked into {settings.MEDIA_ROOT} ({error}). "
            "Nothing was changed."
        ) from None
    try:
        checked.connector.restore(checked.database_copy)
    except BaseException:
        media.discard(unpacked)
        raise
    media.swap_in(settings.MEDIA_ROOT, unpacked)


def files_text(count):
    return f"{count} media file{'' if count == 1 else 's'}"


def size_text(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
