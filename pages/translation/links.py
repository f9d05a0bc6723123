"""Links to pages, in the language of the page being served.

wagtail-localize leaves a translated page's links to other pages as they were (pointing to the
English pages), expecting them to be localised when the page is shown. Before a page in another
language than English is served, every page link in its StreamFields and in the footer is
pointed at the linked page's live version in that language, if there is one: one query for all
of them, none on an English page or when every link already points into the page's language."""

from django.conf import settings
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.blocks.struct_block import StructValue
from wagtail.fields import StreamField
from wagtail.models import Page

from pages.blocks.links import LinkStructValue
from pages.models.site_settings import OrganisationWording

from .locales import active_language


def page_links(value):
    """Every link block inside a StreamField value, however deeply nested."""
    if isinstance(value, LinkStructValue):
        yield value
    if isinstance(value, StreamValue):
        for child in value:
            yield from page_links(child.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            yield from page_links(child)
    elif isinstance(value, ListValue | list | tuple):
        for child in value:
            yield from page_links(child)


def streams_of(page):
    return [
        getattr(page, field.name)
        for field in page._meta.get_fields()
        if isinstance(field, StreamField)
    ]


def localize_page_links(page, request, *args, **kwargs):
    """A `before_serve_page` hook: returns nothing, so serving goes on."""
    if active_language() == settings.LANGUAGE_CODE:
        return
    streams = [*streams_of(page), OrganisationWording.for_request(request).footer_links]
    foreign = [
        link
        for stream in streams
        for link in page_links(stream)
        if link.get("page") is not None and link["page"].locale_id != page.locale_id
    ]
    if not foreign:
        return
    versions = {
        version.translation_key: version
        for version in Page.objects.live().filter(
            locale_id=page.locale_id,
            translation_key__in={link["page"].translation_key for link in foreign},
        )
    }
    for link in foreign:
        link.localized_page = versions.get(link["page"].translation_key)
