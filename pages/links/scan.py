"""What addresses a page, a block or a setting holds: every external address, and every page
chosen as a link target, each with the places that use it. Read by the link checker and by the
editor's link-problems panel."""

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
PAGE_LINK = re.compile(r"""<a\b[^>]*?\blinktype=["']page["'][^>]*?\bid=["'](\d+)["']""", re.I)


@dataclass
class Usage:
    label: str
    edit_url: str = ""


@dataclass
class Found:
    """Every address to check, each with the places that use it."""

    external: dict = field(default_factory=lambda: defaultdict(list))
    internal: dict = field(default_factory=lambda: defaultdict(list))  # page id -> usages

    def add_url(self, url, usage):
        url = (url or "").strip()
        try:
            scheme = urlsplit(url).scheme
        except ValueError:  # e.g. "http://[::1": still checked, and found broken
            scheme = url.partition(":")[0].lower()
        if scheme in ("http", "https"):
            self.external[url].append(usage)

    def add_rich_text(self, html, usage):
        for href in HREF.findall(html or ""):
            self.add_url(href, usage)
        for page_id in PAGE_LINK.findall(html or ""):
            self.internal[int(page_id)].append(usage)


def scan_page(page, found, usage):
    """Every address in a page's rich text and blocks, into `found`. Returns the ids of the
    library links its blocks chose, deleted ones included."""
    link_ids = set()
    for model_field in page._meta.get_fields():
        if isinstance(model_field, RichTextField):
            found.add_rich_text(getattr(page, model_field.name), usage)
        elif isinstance(model_field, StreamField):
            stream = getattr(page, model_field.name)
            walk_stream(stream.stream_block, stream, found, usage)
            walk_raw_page_ids(stream.raw_data, found, usage)
            link_ids |= set(raw_ids(stream.raw_data, "link"))
    return link_ids


def walk_stream(block, value, found, usage):
    """Every external address in a block value, however deeply nested."""
    if value is None:
        return
    if isinstance(block, EmbedBlock):
        return  # fetched and cached by Wagtail's embed finders, not linked to
    if isinstance(block, blocks.RichTextBlock):
        found.add_rich_text(value.source, usage)
    elif isinstance(block, blocks.URLBlock):
        found.add_url(value, usage)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            walk_stream(child, value.get(name), found, usage)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            walk_stream(block.child_block, item, found, usage)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            walk_stream(child.block, child.value, found, usage)


def raw_ids(raw, key):
    """Ids stored under `key` anywhere in a block's stored data. A chosen page or snippet that
    was deleted is gone from the block's value, but its id is still here."""
    if isinstance(raw, dict):
        if isinstance(raw.get(key), int):
            yield raw[key]
        for value in raw.values():
            yield from raw_ids(value, key)
    elif isinstance(raw, Sequence) and not isinstance(raw, str):
        for value in raw:
            yield from raw_ids(value, key)


def walk_raw_page_ids(raw, found, usage):
    for page_id in raw_ids(raw, "page"):
        found.internal[page_id].append(usage)
