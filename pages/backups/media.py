"""The media folder (uploaded images, their renditions, documents) in and out of a backup.

Restoring never writes into the live folder's files: the backup's files are unpacked into a
hidden folder inside it first, then the live entries are moved aside and the unpacked ones
moved in, each by a rename on the same disk. Inside the media folder rather than beside it, so
that a media folder that is a mount point of its own can be restored too."""

import gzip
import os
import secrets
import shutil
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from .errors import BackupRefused

# A restore's folders, named so that a backup made meanwhile leaves them out.
UNPACKED = ".restoring-"
MOVED_ASIDE = ".replaced-"


def _ours(name):
    return name.startswith((UNPACKED, MOVED_ASIDE))


def _anonymous(info):
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def pack(root, target):
    """Writes every file and folder under `root` to `target` (an open binary file) as a gzipped
    tar. Symbolic links are left out: a restore writes only files inside the media folder.
    Returns (number of files, their bytes)."""
    root = Path(root)
    files = size = 0
    with tarfile.open(fileobj=target, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        if not root.is_dir():
            return 0, 0
        for folder, subfolders, names in os.walk(root):
            here = Path(folder)
            subfolders[:] = sorted(
                name
                for name in subfolders
                if not (here / name).is_symlink() and not (here == root and _ours(name))
            )
            for name in subfolders:
                info = tar.gettarinfo(here / name, arcname=(here / name).relative_to(root))
                tar.addfile(_anonymous(info))
            for name in sorted(names):
                path = here / name
                if path.is_symlink():
                    continue
                try:
                    with open(path, "rb") as file:
                        info = tar.gettarinfo(fileobj=file, arcname=path.relative_to(root))
                        tar.addfile(_anonymous(info), file)
                except FileNotFoundError:
                    # Deleted since the folder was listed (the task worker removes a deleted
                    # image's files): the database dump, made first, no longer needs it.
                    continue
                files += 1
                size += info.size
    return files, size


def _safe_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or ".." in path.parts or _ours(path.parts[0]):
        raise BackupRefused(
            f"The backup's media archive holds {name!r}, which is outside the media folder. "
            "Nothing was changed."
        )
    return path


def unpack(archive, root):
    """Unpacks the media archive into a new hidden folder inside `root` (made if missing) and
    returns that folder; the live files are untouched. Raises BackupRefused, leaving nothing
    behind, for an archive that is damaged or holds anything but files and folders."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    unpacked = root / f"{UNPACKED}{secrets.token_hex(6)}"
    unpacked.mkdir(mode=0o755)
    try:
        with tarfile.open(archive, "r|gz") as tar:
            for member in tar:
                target = unpacked / _safe_name(member.name)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                elif member.isfile():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as source, open(target, "xb") as copy:
                        shutil.copyfileobj(source, copy)
                else:
                    raise BackupRefused(
                        f"The backup's media archive holds {member.name!r}, which is not a "
                        "file or a folder. Nothing was changed."
                    )
    except FileExistsError:
        discard(unpacked)
        raise BackupRefused(
            "The backup's media archive holds the same file twice. Nothing was changed."
        ) from None
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        discard(unpacked)
        raise BackupRefused(
            f"The backup's media archive is damaged ({error}). Nothing was changed."
        ) from None
    except BaseException:
        discard(unpacked)
        raise
    return unpacked


def discard(unpacked):
    shutil.rmtree(unpacked, ignore_errors=True)


def swap_in(root, unpacked):
    """Makes the unpacked files the media folder's contents; what was there is deleted."""
    root = Path(root)
    aside = root / f"{MOVED_ASIDE}{unpacked.name[len(UNPACKED) :]}"
    try:
        aside.mkdir()
        for entry in root.iterdir():
            if not _ours(entry.name):
                entry.rename(aside / entry.name)
        for entry in unpacked.iterdir():
            entry.rename(root / entry.name)
        unpacked.rmdir()
    except OSError as error:
        raise OSError(
            f"The database was restored, but the media files could not be moved into place "
            f"({error}). The backup's files are in {unpacked}, the ones they replace in "
            f"{aside}: move them by hand."
        ) from error
    shutil.rmtree(aside)
