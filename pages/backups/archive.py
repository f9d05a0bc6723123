"""The backup file: one uncompressed tar whose members are compressed, in this order:

    manifest.json       this format's name and version, the site it came from, when it was
                        made, and each other member's name, size and SHA-256
    database.*.gz       the database (database.py)
    media.tar.gz        the media folder (media.py)

The manifest comes first, so that a file is known for ours (or not) from its first few
kilobytes, and every other member is checked against it while it is read. A file cut short in a
copy fails that check, whichever member it ends in."""

import hashlib
import json
import re
import tarfile
import time
from io import BytesIO
from pathlib import Path

from .errors import BackupRefused

FORMAT = "ioisite-backup"
VERSION = 1
MANIFEST = "manifest.json"
# A manifest is a few hundred bytes and a list of migrations; anything much bigger is not ours.
MAX_MANIFEST_BYTES = 1_000_000
MEMBER_NAME = re.compile(r"^[a-z0-9][a-z0-9.]{0,40}$")
CHUNK = 1024 * 1024


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _owned_by_nobody(info):
    # Whoever restores the file owns what it extracts; the backing-up account is nobody's business.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write(path, fields, members):
    """Writes the backup to `path` (a new file, readable by its owner only): the manifest, made
    of `fields` and a line per member, then the member files themselves. Returns the manifest."""
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        **fields,
        "members": [
            {"name": member.name, "bytes": member.stat().st_size, "sha256": sha256_of(member)}
            for member in members
        ],
    }
    data = json.dumps(manifest, indent=2).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    path = Path(path)
    path.touch(mode=0o600, exist_ok=False)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, BytesIO(data))
        for member in members:
            tar.add(member, arcname=member.name, recursive=False, filter=_owned_by_nobody)
    return manifest


def not_ours(path, why):
    return BackupRefused(f"{path} is not a backup of this site: {why}. Nothing was changed.")


def damaged(path, why):
    return BackupRefused(
        f"{path} is damaged or incomplete: {why}. It may have been cut short while it was "
        "copied; try another copy. Nothing was changed."
    )


def _manifest(path, data):
    try:
        manifest = json.loads(data)
    except ValueError:
        raise not_ours(path, "its manifest is not readable") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise not_ours(path, f"it is a {found!r} file" if found else "it has no backup manifest")
    version = manifest.get("version")
    if version != VERSION:
        raise BackupRefused(
            f"{path} is a backup in format version {version!r}; this version of the site reads "
            f"version {VERSION} only. Restore it with the version of the site that made it. "
            "Nothing was changed."
        )
    members = manifest.get("members")
    if not isinstance(members, list) or not all(
        isinstance(m, dict)
        and isinstance(m.get("name"), str)
        and MEMBER_NAME.match(m["name"])
        and m["name"] != MANIFEST
        and isinstance(m.get("bytes"), int)
        and isinstance(m.get("sha256"), str)
        for m in members
    ):
        raise damaged(path, "its manifest does not list its contents")
    return manifest


def read(path, folder):
    """Reads the backup at `path` whole, copying each member into `folder` as it checks it
    against the manifest. Returns the manifest and {member name: its copy}; raises BackupRefused
    for a file that is not ours, is cut short or differs from its manifest in any byte."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"There is no backup file at {path}. Nothing was changed.")
    copies = {}
    with _open(path) as tar:
        try:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise not_ours(path, "it has no backup manifest")
            if first.size > MAX_MANIFEST_BYTES:
                raise not_ours(path, "its manifest is far too large")
            manifest = _manifest(path, tar.extractfile(first).read())
            expected = {member["name"]: member for member in manifest["members"]}
            while (found := tar.next()) is not None:
                entry = expected.get(found.name)
                if entry is None or found.name in copies or not found.isfile():
                    raise damaged(
                        path, f"it holds {found.name!r}, which its manifest does not list"
                    )
                copies[found.name] = _copy_checked(path, tar, found, entry, Path(folder))
        except (tarfile.TarError, EOFError):
            raise damaged(path, "the file ends in the middle of its contents") from None
    missing = [name for name in expected if name not in copies]
    if missing:
        raise damaged(path, f"the file ends before {', '.join(missing)}")
    return manifest, copies


def _open(path):
    try:
        return tarfile.open(path, "r|")
    except tarfile.TarError:
        raise not_ours(path, "it is not a tar archive") from None


def _copy_checked(path, tar, found, entry, folder):
    copy = folder / entry["name"]
    digest = hashlib.sha256()
    size = 0
    with tar.extractfile(found) as source, open(copy, "wb") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    if size != entry["bytes"] or digest.hexdigest() != entry["sha256"]:
        raise damaged(path, f"{entry['name']} is not the file its manifest describes")
    return copy
