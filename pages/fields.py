"""What the site stores and later puts in front of a reader, checked at both ends.

- Web addresses a reader's browser should follow: http and https only in every link field
  (models, forms and blocks) on the way in; and on the way out `safe_url`, the one gate every
  stored address passes before it becomes an `href`, a `src`, a URL in JSON-LD or the API.
- Rich text: `RichTextField` and `StreamField` here clean what they write to the database to
  the editor's own allow-list (`clean_rich_text`), whoever writes it: the admin, the shell, a
  fixture, an importer, `QuerySet.update()`, a revision (docs/security.md)."""

import copy
import html
import json
import logging
import re

import nh3
from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import models
from rest_framework.fields import Field as APIValueField
from wagtail import blocks, fields
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.rich_text import features as rich_text_features

logger = logging.getLogger(__name__)

# What an editor may type into a link field.
WEB_SCHEMES = ("http", "https")
# What the site sends a reader to: the web, an email, a phone call. Anything without a scheme
# is a path on this site.
SAFE_SCHEMES = (*WEB_SCHEMES, "mailto", "tel")

web_url_validator = URLValidator(schemes=list(WEB_SCHEMES))


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]


class WebURLField(models.URLField):
    """A URLField for http and https only, in the model and in its admin form."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})


# The gate on the way out

# A scheme as browsers read one (WHATWG URL: a letter, then letters, digits, "+", "-", "."
# up to the colon); anything else before the first colon makes the address a relative path.
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers strip C0 controls and spaces from both ends, and tabs and newlines from anywhere.
STRIPPED = "".join(chr(code) for code in range(0x21))
REMOVED = re.compile(r"[\t\n\r]")
# Left after that, a control character is never part of a real address.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _entity_decoded(text):
    """`text` with HTML entities decoded until none is left (`&amp;#106;` is `j` twice over)."""
    for _ in range(5):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _followable(address):
    """Whether a browser reading `address` would go to an allowed scheme or a path here."""
    address = REMOVED.sub("", address.strip(STRIPPED))
    if CONTROL.search(address):
        return False
    scheme = SCHEME.match(address)
    if scheme:
        return scheme.group(1).lower() in SAFE_SCHEMES
    # Without a scheme: a path on this site, but never "//host" (or "\\host", "/\host", which
    # browsers read the same way), another site that only looks like a path.
    return not address.replace("\\", "/").startswith("//")


def safe_url(value):
    """`value` if a browser would take it to an http, https, mailto or tel address or to a path
    on this site, else "" (with a warning in the log): the gate between every stored address
    and the page, the JSON-LD, the feeds and the API. Judged as the browser would read it in an
    attribute, and again with its HTML entities decoded, so that no spelling of `javascript:`
    (mixed case, a leading space or control character, a tab inside, `&#106;`) gets through."""
    if value is None or value == "":
        return ""
    text = str(value)
    if _followable(text) and _followable(_entity_decoded(text)):
        return text.strip(STRIPPED)
    logger.warning("A stored address was left out: %r is not an address a reader may follow.", text)
    return ""


class SafeURLAPIField(APIValueField):
    """An API field holding a stored address: it goes out through the gate, or as null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return safe_url(value) or None


# Rich text on the way in

# The editor's rules name each feature's elements by CSS selector (`a[linktype="page"]`);
# these are the attributes each such element carries in Wagtail's database format.
REFERENCE_ATTRIBUTES = {
    'a[linktype="page"]': {"id"},
    'a[linktype="document"]': {"id"},
    'embed[embedtype="image"]': {"id", "format", "alt"},
    'embed[embedtype="media"]': {"url"},
}
SELECTOR = re.compile(r'^([a-z0-9]+)(?:\[([a-z-]+)(?:="([^"]*)")?\])?$')
# Every block element the editor writes carries its key.
EDITOR_ATTRIBUTES = {"data-block-key"}
# Removed with everything inside them; any other element outside the list loses its tags only.
DROPPED_WHOLE = {"script", "style", "iframe", "object", "template", "noscript", "svg", "math"}
# What nh3 writes as HTML5 that Wagtail's database format writes as XHTML: Wagtail finds an
# image or a video in rich text by its `<embed .../>`.
VOID_ELEMENT = re.compile(r"<(br|hr|embed)((?:\s[^>]*)?)>")


def _allow_list(features):
    """(tags, attributes, attribute values) an editor with these features can write: read
    from Wagtail's own rules for loading rich text into the editor, plus paragraphs and line
    breaks, which every editor has."""
    if features is None:
        features = rich_text_features.get_default_features()
    tags, attributes, values = {"p", "br"}, {"*": set(EDITOR_ATTRIBUTES)}, {}
    for feature in features:
        rule = rich_text_features.get_converter_rule("contentstate", feature) or {}
        for selector in rule.get("from_database_format", {}):
            match = SELECTOR.match(selector)
            if match is None:
                continue  # a rule this list cannot read: its elements stay out
            tag, attribute, value = match.groups()
            tags.add(tag)
            if attribute == "href":
                attributes.setdefault(tag, set()).add("href")
            elif attribute:
                values.setdefault(tag, {}).setdefault(attribute, set()).add(value)
                attributes.setdefault(tag, set()).update(REFERENCE_ATTRIBUTES.get(selector, ()))
    return tags, attributes, values


_ALLOW_LISTS = {}


def _keep_attribute(tag, attribute, value):
    if attribute in ("href", "url"):
        return safe_url(value) or None
    if attribute == "id" and tag in ("a", "embed"):
        # A page, document or image by its number, which the database must be able to read.
        return value if value.isascii() and value.isdigit() and len(value) <= 18 else None
    return value


def clean_rich_text(source, features=None):
    """Rich text as the editor with `features` could have written it: its elements and
    attributes only, links through the gate (`safe_url`), in Wagtail's database format. What an
    editor wrote comes back byte for byte."""
    if not source:
        return source
    key = tuple(features) if features is not None else None
    if key not in _ALLOW_LISTS:
        _ALLOW_LISTS[key] = _allow_list(features)
    tags, attributes, values = _ALLOW_LISTS[key]
    cleaned = nh3.clean(
        str(source),
        tags=tags,
        clean_content_tags=DROPPED_WHOLE - tags,
        attributes=attributes,
        tag_attribute_values=values,
        attribute_filter=_keep_attribute,
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return VOID_ELEMENT.sub(r"<\1\2/>", cleaned).replace("&nbsp;", "\xa0")


def clean_stream_data(block, data):
    """Stored StreamField data (as JSON-ish Python) with every rich text inside it cleaned,
    however deeply nested in structs, lists, streams and typed tables."""
    if isinstance(block, blocks.RichTextBlock):
        return clean_rich_text(data, block.features) if isinstance(data, str) else data
    if isinstance(block, blocks.BaseStreamBlock):
        if not isinstance(data, list):
            return data
        for child in data:
            if isinstance(child, dict) and child.get("type") in block.child_blocks:
                child["value"] = clean_stream_data(
                    block.child_blocks[child["type"]], child.get("value")
                )
        return data
    if isinstance(block, blocks.ListBlock):
        if not isinstance(data, list):
            return data
        for index, item in enumerate(data):
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                item["value"] = clean_stream_data(block.child_block, item["value"])
            else:
                data[index] = clean_stream_data(block.child_block, item)
        return data
    if isinstance(block, TypedTableBlock):
        if isinstance(data, dict):
            kinds = [column.get("type") for column in data.get("columns", [])]
            for row in data.get("rows", []):
                cells = row.get("values", []) if isinstance(row, dict) else []
                for index, (kind, cell) in enumerate(zip(kinds, cells, strict=False)):
                    if kind in block.child_blocks:
                        cells[index] = clean_stream_data(block.child_blocks[kind], cell)
        return data
    if isinstance(block, blocks.StructBlock):
        if isinstance(data, dict):
            for name, child in block.child_blocks.items():
                if name in data:
                    data[name] = clean_stream_data(child, data[name])
        return data
    return data


class RichTextField(fields.RichTextField):
    """Wagtail's RichTextField, cleaned to its features whenever it is written: `save()` and
    `create()` (and the revision made from the page), `QuerySet.update()`, `bulk_create()`,
    `loaddata`. Migrations see Wagtail's field: the column and what it holds are the same."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.RichTextField", args, kwargs

    def pre_save(self, model_instance, add):
        # The instance in memory, and the revision made from it, hold what the row will.
        value = clean_rich_text(getattr(model_instance, self.attname), self.features)
        setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        if isinstance(value, str):
            value = clean_rich_text(value, self.features)
        return super().get_db_prep_save(value, connection)


class StreamField(fields.StreamField):
    """Wagtail's StreamField, with the rich text in its blocks cleaned whenever the stream is
    written, as RichTextField's. Migrations see Wagtail's field."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.StreamField", args, kwargs

    def get_prep_value(self, value):
        prepared = super().get_prep_value(value)
        if isinstance(prepared, str):  # a stream written as JSON text, e.g. by update()
            try:
                prepared = json.loads(prepared)
            except ValueError:
                return prepared
        return clean_stream_data(self.stream_block, copy.deepcopy(prepared))


# Copies of the fields: revisions, and rows written before the fields cleaned them


def clean_serialized(model, content, rich_text_features=None):
    """A page's or snippet's fields as a revision holds them (`serializable_data()`: rich
    text as HTML, a stream as JSON text), with the rich text cleaned as `model`'s fields clean
    it. `rich_text_features` stands in for the fields' own features in a data migration, whose
    historical fields have forgotten them. Returns whether anything changed."""
    changed = False
    for field in model._meta.fields:
        value = content.get(field.name)
        if not value:
            continue
        if isinstance(field, fields.RichTextField) and isinstance(value, str):
            features = rich_text_features if rich_text_features is not None else field.features
            cleaned = clean_rich_text(value, features)
        elif isinstance(field, fields.StreamField) and isinstance(value, str | list):
            try:
                data = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                continue
            cleaned_data = clean_stream_data(field.stream_block, copy.deepcopy(data))
            if cleaned_data == data:
                continue
            cleaned = (
                json.dumps(cleaned_data, cls=DjangoJSONEncoder)
                if isinstance(value, str)
                else cleaned_data
            )
        else:
            continue
        if cleaned != value:
            content[field.name] = cleaned
            changed = True
    return changed


def clean_revision(sender, instance, **kwargs):
    """pre_save of Wagtail's Revision: a revision written by code (a fixture, the shell) is
    cleaned as the page's own fields would clean it, since the admin shows revisions (history,
    compare, preview) under a policy that lets inline script run. `save_revision()` has
    cleaned it already through the fields."""
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is not None and isinstance(instance.content, dict):
        clean_serialized(model, instance.content)


def clean_stored_rows(apps, app_label, rich_text_features):
    """For a data migration: every row of `app_label`'s models and every revision of them,
    with their rich text cleaned (`rich_text_features`: what the app's RichTextFields allowed
    when the migration was written; their stream blocks keep their own features). Only rows
    that change are written."""
    revisions = apps.get_model("wagtailcore", "Revision")
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in apps.get_app_config(app_label).get_models():
        stored = [
            field
            for field in model._meta.local_fields
            if isinstance(field, fields.RichTextField | fields.StreamField)
        ]
        if not stored:
            continue
        names = [field.name for field in stored]
        for row in model._default_manager.only(*names).iterator():
            content = {}
            for field in stored:
                value = getattr(row, field.attname)
                content[field.name] = (
                    field.get_prep_value(value) if isinstance(field, fields.StreamField) else value
                )
            original = copy.deepcopy(content)
            if clean_serialized(model, content, rich_text_features):
                changed = {name: content[name] for name in names if content[name] != original[name]}
                model._default_manager.filter(pk=row.pk).update(**changed)
        content_type = content_types.objects.filter(
            app_label=app_label, model=model._meta.model_name
        ).first()
        if content_type is None:
            continue
        for revision in revisions.objects.filter(content_type=content_type).iterator():
            if isinstance(revision.content, dict) and clean_serialized(
                model, revision.content, rich_text_features
            ):
                revisions.objects.filter(pk=revision.pk).update(content=revision.content)
