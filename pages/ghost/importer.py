"""Importing a Ghost export: first a plan (what would be created, updated, left alone and why),
read from the export and the database without writing anything; then, unless it is a dry run,
the plan carried out in one transaction. A failure half-way leaves the database as it was and
removes the image files it had written."""

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from PIL import Image as PILImage
from taggit.models import Tag as TaggitTag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageLogEntry, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published

from pages.models import (
    NewsAuthor,
    NewsIndexPage,
    NewsPage,
    PeopleIndexPage,
    PublicationAuthor,
    PublicationPage,
    ResearchIndexPage,
    StandardPage,
)
from pages.people.models import Person

from .content import convert, esc
from .models import GhostImportRecord

SUMMARY_MAX, ABSTRACT_MAX, INTRODUCTION_MAX, TITLE_MAX = 300, 3000, 400, 255
IMAGE_MARKER = "/content/images/"


class ImportAbandoned(Exception):
    """The plan cannot be carried out (no news index, say); `problems` say why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Item:
    """One Ghost post or page, and what the import does with it."""

    post: object
    action: str  # create, update, unchanged, conflict, skip
    kind: str  # news post, publication, page
    reason: str = ""
    notes: list = field(default_factory=list)
    parent: object = None
    record: object = None
    body: object = None
    content_hash: str = ""
    page: object = None

    @property
    def label(self):
        language = " (Spanish)" if self.post.spanish else ""
        return f"{self.kind}{language} '{self.post.slug}'"


@dataclass
class Report:
    items: list = field(default_factory=list)
    redirects_created: int = 0
    redirects_kept: list = field(default_factory=list)
    images_created: int = 0
    people_created: int = 0

    def count(self, action):
        return sum(1 for item in self.items if item.action == action)

    def lines(self):
        for item in self.items:
            why = f": {item.reason}" if item.reason else ""
            yield f"{item.action:<9} {item.label}{why}"
            for note in item.notes:
                yield f"          - {note}"
        for kept in self.redirects_kept:
            yield f"redirect  {kept}"

    def summary(self, dry_run):
        would = "would be " if dry_run else ""
        return (
            f"{self.count('create')} {would}created, {self.count('update')} {would}updated, "
            f"{self.count('unchanged')} unchanged, {self.count('conflict')} conflicts, "
            f"{self.count('skip')} skipped; {self.redirects_created} redirects {would}made, "
            f"{self.images_created} images {would}added, {self.people_created} people "
            f"{would}added."
        )


def content_hash(post, kind):
    """What the page is made from: the post's row, its tags and authors, and what it becomes."""
    data = {
        "row": post.raw,
        "kind": kind,
        "tags": [(tag.slug, tag.name) for tag in post.tags],
        "authors": [(author.slug, author.name) for author in post.authors],
    }
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def plain_text(html):
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


def shortened(text, limit):
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return (cut or text[: limit - 1]) + "…"


def split_name(name):
    parts = name.split()
    if len(parts) < 2:
        return "", name[:100]
    return " ".join(parts[:-1])[:100], parts[-1][:100]


class Images:
    """Images from the export's folder: found, checked and (when importing) added to the
    library once each, matched by their content on a later run."""

    def __init__(self, folder):
        self.folder = Path(folder).resolve() if folder else None
        self.made = {}
        self.written = []  # files written in this run, removed again if it fails
        self.new = []
        self.count = 0

    def path(self, src):
        """The file for an image address, or (None, why not)."""
        address = urlsplit(src)
        path = unquote(address.path)
        if IMAGE_MARKER not in path:
            return None, f"the image {src[:80]} is not in Ghost's image folder: kept as a link"
        if self.folder is None:
            return None, f"no --images folder: the image {src[:80]} is kept as a link"
        relative = path.split(IMAGE_MARKER, 1)[1]
        if relative.startswith("size/"):  # Ghost's resized copies: size/w600/2021/...
            relative = relative.split("/", 2)[2] if relative.count("/") >= 2 else relative
        for base in (self.folder, self.folder / "content" / "images", self.folder / "images"):
            candidate = (base / relative).resolve()
            if not candidate.is_relative_to(self.folder):
                return None, f"the image {src[:80]} points outside the folder: kept as a link"
            if candidate.is_file():
                return self.check(candidate, src)
        return None, f"the image {src[:80]} is not in the folder: kept as a link"

    def check(self, path, src):
        size = path.stat().st_size
        limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        if size > limit:
            return None, f"the image {src[:80]} is {size:,} bytes, over {limit:,}: kept as a link"
        extension = path.suffix.lower().lstrip(".")
        if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
            return (
                None,
                f"the image {src[:80]} is not a kind of image the site takes (.{extension})",
            )
        return path, None

    def image(self, path, title):
        """The library's image for this file, added if new (the import writes)."""
        if path in self.made:
            return self.made[path]
        data = path.read_bytes()
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        model = get_image_model()
        found = model.objects.filter(file_hash=digest).first()
        if found is None:
            try:
                with PILImage.open(BytesIO(data)) as opened:
                    width, height = opened.size
                    opened.verify()
            except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad file
                self.made[path] = None
                return None
            pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
            if width * height > pixels:
                self.made[path] = None
                return None
            collection = Collection.get_first_root_node()
            found = model(
                title=(title or path.stem)[:255],
                file=ContentFile(data, path.name),
                width=width,
                height=height,
                file_size=len(data),
                file_hash=digest,
                collection=collection,
            )
            found.save()
            self.written.append(found.file.name)
            self.new.append(found)
            self.count += 1
        self.made[path] = found
        return found

    def would_add(self, paths):
        """How many of these files the library does not hold yet (a dry run's figure)."""
        digests = {
            hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest() for path in paths
        }
        held = get_image_model().objects.filter(file_hash__in=digests)
        return len(digests - set(held.values_list("file_hash", flat=True)))

    def remove_written(self):
        storage = get_image_model()._meta.get_field("file").storage
        for name in self.written:
            storage.delete(name)


@contextmanager
def deferred_indexing():
    """Saving a page indexes it for search and for Wagtail's reference index, each time: three
    times per imported page (added, revised, published). Inside this, neither happens on save;
    `Importer.index` does both once per page at the end, in bulk where it can. As in the seed
    (home/.../load_ioi_content.py: indexing_deferred), the search index's handler is
    disconnected for the process: a command is the only thing running in it."""
    disconnected = [
        model
        for model in search_index.get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)


class Importer:
    def __init__(self, export, images=None, parent=None, publication_tag=None, progress=None):
        self.export = export
        self.images = Images(images)
        self.publication_tag = (publication_tag or "").strip().lower()
        self.parent_option = parent
        self.progress = progress or (lambda done, total: None)
        self.report = Report()
        self.tag_names = {}
        self.children = {}
        self.new_people = []
        self.log_entries = []
        self.dry = False

    # Where things go

    def targets(self):
        default = Locale.get_default()
        self.site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.spanish = Locale.objects.filter(language_code="es").first()
        self.news = NewsIndexPage.objects.filter(locale=default).first()
        self.research = ResearchIndexPage.objects.filter(locale=default).first()
        self.people = PeopleIndexPage.objects.live().filter(locale=default).first()
        self.page_parent = self.find_parent()

    def find_parent(self):
        option = self.parent_option
        if option in (None, ""):
            return self.site.root_page.specific if self.site else None
        option = str(option)
        if option.isdigit():
            page = Page.objects.filter(pk=int(option)).first()
        else:
            trimmed = option.strip("/")
            root = self.site.root_page.url_path if self.site else "/"
            page = Page.objects.filter(url_path=root + (f"{trimmed}/" if trimmed else "")).first()
        if page is None:
            raise ImportAbandoned([f"--parent {option}: no page there."])
        page = page.specific
        if StandardPage not in page.specific_class.allowed_subpage_models():
            raise ImportAbandoned([f"--parent {option}: '{page.title}' cannot hold pages."])
        return page

    def kind_of(self, post):
        if post.kind == "page":
            return "page"
        if self.publication_tag and any(
            self.publication_tag in (tag.slug.lower(), tag.name.lower()) for tag in post.tags
        ):
            return "publication"
        return "news post"

    def parent_for(self, kind, spanish):
        parent = {"page": self.page_parent, "publication": self.research, "news post": self.news}[
            kind
        ]
        if parent is None or not spanish:
            return parent
        if self.spanish is None:
            return None
        return parent.get_translation_or_none(self.spanish)

    # The plan

    def plan(self):
        """What would be done with each post; reads, never writes."""
        self.targets()
        problems = []
        posts = self.export.posts
        kinds = {self.kind_of(post) for post in posts}
        if "news post" in kinds and self.news is None:
            problems.append("There is no news index (/news/) to put posts under: add it first.")
        if "publication" in kinds and self.research is None:
            problems.append("There is no research index to put publications under: add it first.")
        if "page" in kinds and self.page_parent is None:
            problems.append("There is no home page to put pages under: give --parent.")
        if problems:
            raise ImportAbandoned(problems)
        records = {r.ghost_id: r for r in GhostImportRecord.objects.select_related("page")}
        # English before Spanish: a Spanish version is linked to its English page.
        ordered = sorted(posts, key=lambda post: post.spanish)
        self.records = records
        for post in ordered:
            self.report.items.append(self.plan_post(post, records.get(post.ghost_id)))
        return self.report

    def plan_post(self, post, record):
        kind = self.kind_of(post)
        item = Item(post=post, action="create", kind=kind, record=record)
        item.content_hash = content_hash(post, kind)
        if not post.public:
            why = {"draft": "a draft", "scheduled": "scheduled"}.get(post.status, post.status)
            if post.status == "published":
                why = f"for {post.visibility} only"
            item.notes.append(f"{why} in Ghost: imported as a draft, not published")
        item.parent = self.parent_for(kind, post.spanish)
        if item.parent is None:
            item.action, item.reason = (
                "skip",
                "no Spanish version of its parent page to go under: translate that page first",
            )
            return item
        if record is not None:
            if record.page_id is None:
                item.action, item.reason = "skip", "its page here was deleted since the import"
            elif record.content_hash == item.content_hash:
                item.action = "unchanged"
            elif record.page.latest_revision_id != record.revision_id:
                item.action = "conflict"
                item.reason = "an editor changed the page since it was imported: left as it is"
            else:
                item.action, item.reason = "update", "changed in Ghost since the last import"
        else:
            slug = self.slug_here(post)
            clash = self.child_titles(item.parent).get(slug)
            if clash is not None:
                item.action = "skip"
                item.reason = f"a page '{clash}' has the address '{slug}' here already"
                return item
            self.child_titles(item.parent)[slug] = post.title
            english = self.planned_english(post)
            translated = (
                english is not None
                and english.locale_id != item.parent.locale_id
                and english.get_translation_or_none(self.spanish) is not None
            )
            if translated:
                item.action = "skip"
                item.reason = "its English page has a Spanish version already"
                return item
        if item.action in ("create", "update"):
            item.body = convert(post)
            item.notes.extend(item.body.notes)
            for block in item.body.blocks:
                if block["type"] == "image":
                    path, why = self.images.path(block["src"])
                    block["path"] = path
                    if why:
                        item.notes.append(why)
            if post.feature_image:
                path, why = self.images.path(post.feature_image)
                item.feature_path = path
                if why:
                    item.notes.append(f"feature image: {why}")
            if len(post.title) > TITLE_MAX:
                item.notes.append(f"the title cut to {TITLE_MAX} characters")
        return item

    @staticmethod
    def slug_here(post):
        """The page's slug: a Spanish version takes its English post's, under /es/."""
        return (post.english_slug or post.slug) if post.spanish else post.slug

    def planned_english(self, post):
        """The English page a Spanish post's version is of, when it was imported before."""
        if not post.english_slug:
            return None
        for other in self.export.posts:
            if other.slug == post.english_slug and not other.spanish:
                record = self.records.get(other.ghost_id)
                return record.page if record is not None and record.page_id else None
        return None

    def child_titles(self, parent):
        """The titles of a parent's children by slug, read once per parent."""
        if parent.pk not in self.children:
            self.children[parent.pk] = dict(parent.get_children().values_list("slug", "title"))
        return self.children[parent.pk]

    # Carrying it out

    def run(self, dry_run=False):
        report = self.plan()
        self.people_by_slug = {
            p.slug: p for p in Person.objects.filter(locale=Locale.get_default())
        }
        self.redirects = (
            {r.old_path: r for r in Redirect.objects.filter(site=self.site)} if self.site else {}
        )
        if dry_run:
            return self.dry_run(report)
        try:
            with transaction.atomic(), deferred_indexing():
                todo = [i for i in report.items if i.action in ("create", "update")]
                for done, item in enumerate(todo, start=1):
                    try:
                        self.write(item)
                    except (ValidationError, IntegrityError) as error:
                        raise ImportAbandoned(
                            [f"{item.post.place} ('{item.post.slug}'): {error}"]
                        ) from error
                    self.progress(done, len(todo))
                for item in report.items:
                    if item.action != "skip" and item.post.public:
                        self.redirect_post(item)
                self.redirect_tags_and_authors()
                PageLogEntry.objects.bulk_create(self.log_entries)
                self.index([item.page for item in todo] + self.new_people + self.images.new)
        except BaseException:
            self.images.remove_written()
            raise
        report.images_created = self.images.count
        return report

    def dry_run(self, report):
        """The report's figures for a dry run: the redirects, images and people the import
        would add, counted as it would add them, without writing."""
        self.dry = True
        todo = [item for item in report.items if item.action in ("create", "update")]
        for item in report.items:
            if item.action != "skip" and item.post.public:
                self.redirect_post(item)
        self.redirect_tags_and_authors()
        paths = {
            block["path"]
            for item in todo
            for block in item.body.blocks
            if block["type"] == "image" and block.get("path")
        } | {item.feature_path for item in todo if getattr(item, "feature_path", None)}
        report.images_created = self.images.would_add(paths)
        authors = {a.slug for item in todo if item.kind != "page" for a in item.post.authors}
        report.people_created = len(authors - set(self.people_by_slug))
        return report

    def index(self, pages):
        """Search and the reference index for what was written (pages, people, images), once
        each."""
        by_model = {}
        for obj in pages:
            by_model.setdefault(type(obj), []).append(obj.pk)
        for model, pks in by_model.items():
            found = list(model.get_indexed_objects().filter(pk__in=pks))
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, found)
            for obj in found:
                ReferenceIndex.create_or_update_for_object(obj)

    def person(self, author):
        person = self.people_by_slug.get(author.slug)
        if person is None:
            given, family = split_name(author.name)
            person = Person(
                given_names=given,
                family_name=family,
                slug=author.slug,
                bio=author.bio,
                locale=Locale.get_default(),
            )
            person.save()
            self.people_by_slug[author.slug] = person
            self.new_people.append(person)
            self.report.people_created += 1
        return person

    def stream(self, item):
        blocks = []
        for block in item.body.blocks:
            if block["type"] != "image":
                blocks.append({"type": block["type"], "value": block["value"]})
                continue
            image = self.images.image(block["path"], block["alt"]) if block["path"] else None
            if image is None:
                if block["path"]:
                    item.notes.append(f"the image {block['src'][:80]} is not a readable image")
                words = esc(block["alt"] or block["caption"] or "Image")
                link = f'<p><a href="{esc(block["src"])}">{words}</a></p>'
                blocks.append({"type": "paragraph", "value": link})
                continue
            if not block["alt"]:
                item.notes.append(
                    f"the image {block['src'][:80]} has no alt text: marked decorative"
                )
            blocks.append(
                {
                    "type": "image",
                    "value": {
                        "image": {
                            "image": image.pk,
                            "decorative": not block["alt"],
                            "alt_text": block["alt"],
                        },
                        "caption": block["caption"],
                    },
                }
            )
        return blocks

    def write(self, item):
        post = item.post
        model = {"news post": NewsPage, "publication": PublicationPage, "page": StandardPage}[
            item.kind
        ]
        if item.action == "update":
            page = item.record.page.specific
        else:
            page = model(slug=post.slug, live=False, locale_id=item.parent.locale_id)
            if post.spanish:
                page.slug = self.slug_here(post)
                english = self.english_page(post)
                if english is not None:
                    page.translation_key = english.translation_key
                else:
                    item.notes.append("no English post with its slug: imported on its own")
        page.title = post.title[:TITLE_MAX]
        body = self.stream(item)
        text = post.excerpt or plain_text(
            " ".join(b["value"] for b in body if b["type"] == "paragraph")
        )
        # A draft has no publication date in Ghost; the day it was begun stands in for it.
        when = post.published_at or post.created_at or timezone.now()
        date = when.date()
        if item.kind == "page":
            page.introduction = shortened(post.excerpt, INTRODUCTION_MAX)
        else:
            page.published_on = date
            if item.kind == "news post":
                page.summary = shortened(text, SUMMARY_MAX) or post.title[:SUMMARY_MAX]
            else:
                page.abstract = shortened(text, ABSTRACT_MAX) or post.title
            authorship = NewsAuthor if item.kind == "news post" else PublicationAuthor
            page.authors = [
                authorship(person=self.person(author), sort_order=n)
                for n, author in enumerate(post.authors)
            ]
            self.feature_image(item, page)
        if item.kind == "news post":
            names = [self.tag_name(tag) for tag in post.reader_tags]
            page.tags.set(names, clear=True) if item.action == "update" else page.tags.add(*names)
        page.body = body
        if post.published_at and not page.first_published_at:
            page.first_published_at = post.published_at.astimezone(UTC)
        if item.action == "create":
            revision = self.create(item, page)
        else:
            revision = page.save_revision(log_action=True)
            if post.public:
                revision.publish()
            elif page.live:
                page.unpublish()
                item.notes.append("unpublished here: it is no longer public in Ghost")
        record = item.record or GhostImportRecord(ghost_id=post.ghost_id)
        record.ghost_slug = post.slug
        record.page = page
        record.revision = revision
        record.content_hash = item.content_hash
        record.save()
        item.page = page

    def create(self, item, page):
        """A new page, made as Wagtail's publish would leave it, with two saves instead of
        five: added to the tree already live (or as a draft), then its revision. What the
        publish would also do is done here: the live revision, the history's entry and the
        `page_published` signal (the page cache listens to it). Checked in `plan` and by the
        fields' own limits, so the revision needs no second validation."""
        if item.post.public:
            page.live = True
            page.has_unpublished_changes = False
            page.last_published_at = page.first_published_at or timezone.now()
        item.parent.add_child(instance=page)
        revision = page.save_revision(clean=False, changed=not page.live)
        # Its "wagtail.create" entry is written by the page's first save, as in the admin.
        if page.live:
            page.live_revision = revision
            Page.objects.filter(pk=page.pk).update(live_revision=revision)
            self.log(page, "wagtail.publish", revision)
            page_published.send(sender=type(page), instance=page, revision=revision)
        return revision

    def log(self, page, action, revision):
        """An entry in the page's history, as `wagtail.log_actions.log` writes it; written in
        one statement at the end (`PageLogEntry.save` checks each entry's references again,
        four queries each)."""
        self.log_entries.append(
            PageLogEntry(
                content_type_id=page.content_type_id,
                label=page.get_admin_display_title(),
                action=action,
                timestamp=timezone.now(),
                data={},
                page_id=page.pk,
                revision=revision,
                content_changed=True,
            )
        )

    def tag_name(self, tag):
        """The name of the site's tag for a Ghost tag: one of the same name (in any case) or
        slug if there is one, so that 'Funding' joins the posts tagged 'funding'."""
        if tag.slug not in self.tag_names:
            found = TaggitTag.objects.filter(Q(name__iexact=tag.name) | Q(slug=tag.slug)).first()
            self.tag_names[tag.slug] = found.name if found else tag.name
        return self.tag_names[tag.slug]

    def english_page(self, post):
        if not post.english_slug:
            return None
        for other in self.report.items:
            if other.post.slug == post.english_slug and not other.post.spanish:
                if other.page is not None:
                    return other.page
                if other.record is not None and other.record.page_id:
                    return other.record.page
        return None

    def feature_image(self, item, page):
        post = item.post
        path = getattr(item, "feature_path", None)
        image = self.images.image(path, post.feature_image_alt or post.title) if path else None
        page.hero_image = image
        page.hero_image_alt = post.feature_image_alt[:250]
        page.hero_image_decorative = bool(image) and not post.feature_image_alt
        if image is not None and not post.feature_image_alt:
            item.notes.append("the feature image has no alt text: marked decorative")

    # Redirects from the old addresses

    def redirect(self, old, page=None, link=""):
        old_path = Redirect.normalise_path(old)
        existing = self.redirects.get(old_path)
        if existing is not None:
            if (page is not None and existing.redirect_page_id == page.pk) or (
                page is None and existing.redirect_link == link
            ):
                return
            self.report.redirects_kept.append(
                f"{old_path}: a redirect to elsewhere exists already, kept as it is"
            )
            return
        at_old_address = f"{self.site.root_page.url_path}{old_path.strip('/')}/"
        if page is not None and page.url_path == at_old_address:
            return  # the page is at its old address already
        if self.dry:
            self.redirects[old_path] = Redirect(redirect_page=page, redirect_link=link)
            self.report.redirects_created += 1
            return
        made = Redirect.objects.create(
            old_path=old_path,
            site=self.site,
            redirect_page=page,
            redirect_link=link,
            is_permanent=True,
        )
        self.redirects[old_path] = made
        self.report.redirects_created += 1

    def redirect_post(self, item):
        page = item.page or (item.record.page if item.record else None)
        if page is None and self.dry and item.action == "create":
            # Where the page would be: the checks below read only its address.
            page = Page(url_path=f"{item.parent.url_path}{self.slug_here(item.post)}/")
        if page is None or self.site is None:
            return
        slug = item.post.slug
        self.redirect(f"/{slug}/", page=page)
        if item.kind != "page":
            self.redirect(f"/blog/{slug}/", page=page)

    def redirect_tags_and_authors(self):
        if self.site is None:
            return
        public = [i for i in self.report.items if i.action != "skip" and i.post.public]
        news_url = (
            self.news.url_path[len(self.site.root_page.url_path) - 1 :] if self.news else None
        )
        tags, authors = {}, {}
        for item in public:
            if item.kind == "news post" and not item.post.spanish:
                for tag in item.post.reader_tags:
                    tags[tag.slug] = tag
            for author in item.post.authors:
                authors[author.slug] = author
        if news_url:
            from taggit.models import Tag

            known = {
                t.name: t.slug for t in Tag.objects.filter(name__in=[t.name for t in tags.values()])
            }
            for slug, tag in tags.items():
                here = known.get(tag.name) or slugify(tag.name)
                self.redirect(f"/tag/{slug}/", link=f"{news_url}?tag={here}")
        people_url = (
            self.people.url_path[len(self.site.root_page.url_path) - 1 :] if self.people else None
        )
        for slug in authors:
            target = f"{people_url}{slug}/" if people_url else news_url
            if target:
                self.redirect(f"/author/{slug}/", link=target)
