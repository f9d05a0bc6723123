"""Reading a Ghost export (the JSON file Ghost's admin downloads under Settings → Labs → Export)
into plain posts, whatever Ghost version wrote it. Everything is checked before anything is
imported; each problem names its place in the file, e.g. `db[0].data.posts[3]: no slug`."""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

# Ghost 3 and 4 store the body as mobiledoc, 5 (and 6, whose export is 5's) as lexical; all
# of them usually add the rendered `html`.
KNOWN_MAJOR_VERSIONS = {3, 4, 5, 6}
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
MAX_POSTS = 20_000
# Ghost's slugs: lower-case letters, digits and hyphens (Ghost makes them so); any other
# Unicode word character is allowed, as Wagtail's slugs allow it.
SLUG = re.compile(r"^[-\w]{1,255}$")
# The language convention (docs/editors.md, "Moving from Ghost").
SPANISH_TAG_SLUGS = {"hash-es", "hash-lang-es"}
SPANISH_SUFFIX = "-es"


class GhostExportError(Exception):
    """The file cannot be imported; `problems` lists each, with its place in the file."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems[:20]))


@dataclass
class Author:
    ghost_id: str
    slug: str
    name: str
    email: str = ""
    bio: str = ""


@dataclass
class Tag:
    ghost_id: str
    slug: str
    name: str

    @property
    def internal(self):
        """Ghost's internal tags (#name, slug hash-name) are never shown to readers."""
        return self.name.startswith("#") or self.slug.startswith("hash-")


@dataclass
class Post:
    place: str
    ghost_id: str
    kind: str  # "post" or "page"
    slug: str
    title: str
    status: str
    visibility: str
    published_at: datetime | None
    created_at: datetime | None
    excerpt: str
    html: str | None
    mobiledoc: str | None
    lexical: str | None
    feature_image: str
    feature_image_alt: str
    feature_image_caption: str
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @property
    def public(self):
        """Published and readable by anyone: only these are published here."""
        return self.status == "published" and self.visibility in ("public", "", None)

    @property
    def spanish(self):
        return self.slug.endswith(SPANISH_SUFFIX) or any(
            tag.slug in SPANISH_TAG_SLUGS for tag in self.tags
        )

    @property
    def english_slug(self):
        """The slug of the English post this is a version of (the `-es` convention)."""
        return self.slug[: -len(SPANISH_SUFFIX)] if self.slug.endswith(SPANISH_SUFFIX) else None

    @property
    def reader_tags(self):
        return [tag for tag in self.tags if not tag.internal]


@dataclass
class Export:
    version: str
    posts: list
    authors: dict
    tags: dict


def max_bytes():
    return getattr(settings, "GHOST_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def read_file(path):
    """The export at `path`, read and checked (GhostExportError otherwise)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise GhostExportError([f"{path}: cannot be read ({error.strerror})."]) from error
    limit = max_bytes()
    if size > limit:
        raise GhostExportError(
            [f"{path}: {size:,} bytes is over the limit of {limit:,} (GHOST_IMPORT_MAX_BYTES)."]
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise GhostExportError([f"{path}: not UTF-8 text ({error})."]) from error
    return parse(text, name=str(path))


def parse(text, name="the file"):
    try:
        document = json.loads(text)
    except ValueError as error:
        raise GhostExportError([f"{name}: not JSON ({error})."]) from error
    return read_export(document)


def _text(value):
    return value if isinstance(value, str) else ""


def _date(value, place, problems):
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"{place}: {str(value)[:40]!r} is not a date.")
        return None


def _rows(data, name, base, problems, required=False):
    rows = data.get(name)
    if rows is None:
        if required:
            problems.append(f"{base}: no '{name}' list: not a Ghost export.")
        return []
    if not isinstance(rows, list):
        problems.append(f"{base}.{name}: not a list.")
        return []
    return rows


def read_export(document):
    """An Export from the parsed JSON, or GhostExportError with every problem found."""
    if isinstance(document, dict) and isinstance(document.get("db"), list) and document["db"]:
        base, entry = "db[0]", document["db"][0]
    elif isinstance(document, dict) and "data" in document and "meta" in document:
        base, entry = "", document  # an export that is one database dump, without `db`
    else:
        raise GhostExportError(["The file: no 'db' list: not a Ghost export."])
    if not isinstance(entry, dict) or not isinstance(entry.get("data"), dict):
        raise GhostExportError([f"{base or 'the file'}: no 'data': not a Ghost export."])
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    version = _text(meta.get("version"))
    where = f"{base}.meta.version" if base else "meta.version"
    match = re.match(r"^v?(\d+)\.", version + ".")
    if not version or match is None:
        raise GhostExportError([f"{where}: missing: not a Ghost export."])
    if int(match.group(1)) not in KNOWN_MAJOR_VERSIONS:
        known = ", ".join(str(v) for v in sorted(KNOWN_MAJOR_VERSIONS))
        raise GhostExportError(
            [f"{where}: Ghost {version[:20]} is not a version this importer reads ({known})."]
        )
    data = entry["data"]
    base = f"{base}.data" if base else "data"
    problems = []
    post_rows = _rows(data, "posts", base, problems, required=True)
    if len(post_rows) > MAX_POSTS:
        problems.append(f"{base}.posts: {len(post_rows)} posts, more than {MAX_POSTS}.")
    users = {}
    for n, row in enumerate(_rows(data, "users", base, problems)):
        if isinstance(row, dict) and row.get("id") and _text(row.get("slug")):
            users[str(row["id"])] = Author(
                ghost_id=str(row["id"]),
                slug=_text(row["slug"])[:120],
                name=_text(row.get("name")).strip()[:200] or _text(row["slug"]),
                email=_text(row.get("email")),
                bio=_text(row.get("bio"))[:800],
            )
        else:
            problems.append(f"{base}.users[{n}]: a user needs an id and a slug.")
    tags = {}
    for n, row in enumerate(_rows(data, "tags", base, problems)):
        if isinstance(row, dict) and row.get("id") and _text(row.get("slug")):
            tags[str(row["id"])] = Tag(
                ghost_id=str(row["id"]),
                slug=_text(row["slug"])[:100],
                name=(_text(row.get("name")).strip() or _text(row["slug"]))[:100],
            )
        else:
            problems.append(f"{base}.tags[{n}]: a tag needs an id and a slug.")
    tags_of, authors_of = {}, {}
    for name, index, known, into in (
        ("posts_tags", "tag_id", tags, tags_of),
        ("posts_authors", "author_id", users, authors_of),
    ):
        links = _rows(data, name, base, problems)
        ordered = sorted(
            (
                (link.get("sort_order") or 0, n, link)
                for n, link in enumerate(links)
                if isinstance(link, dict)
            ),
            key=lambda item: (item[0], item[1]),
        )
        for _order, n, link in ordered:
            target = known.get(str(link.get(index)))
            if target is None:
                problems.append(f"{base}.{name}[{n}]: no {index[:-3]} {link.get(index)!r}.")
                continue
            into.setdefault(str(link.get("post_id")), []).append(target)
    # Ghost 4 and 5 keep a post's feature image alt text and caption in `posts_meta`.
    meta_of = {
        str(row.get("post_id")): row
        for row in _rows(data, "posts_meta", base, problems)
        if isinstance(row, dict)
    }
    posts, seen = [], {}
    for n, row in enumerate(post_rows):
        place = f"{base}.posts[{n}]"
        if not isinstance(row, dict):
            problems.append(f"{place}: not an object.")
            continue
        extra = meta_of.get(str(row.get("id")), {})
        row = {**row, **{k: v for k, v in extra.items() if k not in ("id", "post_id") and v}}
        post = _read_post(row, place, problems, tags_of, authors_of, users)
        if post is None:
            continue
        if post.ghost_id in seen:
            problems.append(f"{place}: the same id as {seen[post.ghost_id]}.")
        seen[post.ghost_id] = place
        posts.append(post)
    slugs = {}
    for post in posts:
        key = (post.kind, post.slug)
        if key in slugs:
            problems.append(f"{post.place}: the slug '{post.slug}' is {slugs[key]}'s too.")
        slugs.setdefault(key, post.place)
    if problems:
        raise GhostExportError(problems)
    return Export(version=version, posts=posts, authors=users, tags=tags)


def _read_post(row, place, problems, tags_of, authors_of, users):
    ghost_id = str(row.get("id") or "")
    slug = _text(row.get("slug")).strip()
    title = _text(row.get("title")).strip()
    count = len(problems)
    if not ghost_id:
        problems.append(f"{place}: no id.")
    if not slug:
        problems.append(f"{place}: no slug.")
    elif not SLUG.match(slug):
        problems.append(f"{place}: the slug {slug[:60]!r} is not one an address can use.")
    if not title:
        problems.append(f"{place}: no title.")
    kind = row.get("type") or ("page" if row.get("page") in (True, 1) else "post")
    if kind not in ("post", "page"):
        problems.append(f"{place}.type: {str(kind)[:20]!r} is neither 'post' nor 'page'.")
    status = row.get("status") or "draft"
    # "sent": emailed to members only, never on the web.
    if status not in ("published", "draft", "scheduled", "sent"):
        problems.append(f"{place}.status: {str(status)[:20]!r} is not a Ghost status.")
    published_at = _date(row.get("published_at"), f"{place}.published_at", problems)
    created_at = _date(row.get("created_at"), f"{place}.created_at", problems)
    for name in ("html", "mobiledoc", "lexical"):
        if row.get(name) is not None and not isinstance(row.get(name), str):
            problems.append(f"{place}.{name}: not text.")
    if len(problems) > count:
        return None
    authors = list(authors_of.get(ghost_id, []))
    if not authors and row.get("author_id") is not None:  # Ghost 3 and older: one author
        author = users.get(str(row.get("author_id")))
        if author is None:
            problems.append(f"{place}.author_id: no user {row.get('author_id')!r}.")
        else:
            authors.append(author)
    excerpt = _text(row.get("custom_excerpt")) or _text(row.get("meta_description"))
    return Post(
        place=place,
        ghost_id=ghost_id,
        kind=kind,
        slug=slug,
        title=title,
        status=status,
        visibility=_text(row.get("visibility")) or "public",
        published_at=published_at,
        created_at=created_at,
        excerpt=excerpt.strip(),
        html=row.get("html"),
        mobiledoc=row.get("mobiledoc"),
        lexical=row.get("lexical"),
        feature_image=_text(row.get("feature_image")),
        feature_image_alt=_text(row.get("feature_image_alt")),
        feature_image_caption=_text(row.get("feature_image_caption")),
        tags=list(tags_of.get(ghost_id, [])),
        authors=authors,
        raw=row,
    )
