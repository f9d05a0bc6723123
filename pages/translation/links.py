"""Links to pages, in the language of the page being served.

wagtail-localize leaves a translated page's links to other pages as they were (pointing to the
English pages), expecting them to be localised when the page is shown. Before a page in another
language than English is served, every page link in its StreamFields and in the footer is
pointed at the linked page's live version in that language, if there is one: one query for all
of them, none on an English page or when every link already points into the page's language.
That is done when the first link is rendered (`pages.blocks.links.LOCALIZE_LINKS`), not before
serving: a page whose content is kept once per cache generation ({% fragment %}) renders no
link, and then neither reads its StreamFields nor looks anything up."""

from functools import cache, partial

from django.conf import settings
from django.core.signals import request_finished
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.blocks.struct_block import StructValue
from wagtail.fields import StreamField
from wagtail.models import Page

from pages.blocks.links import LOCALIZE_LINKS, LinkStructValue
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
    """A `before_serve_page` and `before_preview_page` hook: the page's links are to be localised
    when the first of them is rendered. Returns nothing, so serving goes on."""
    if active_language() == settings.LANGUAGE_CODE:
        LOCALIZE_LINKS.set(None)
        return
    LOCALIZE_LINKS.set(cache(partial(localize_now, page, request)))  # once, however called


def forget_pending(**kwargs):
    """A request's pending localisation never outlives it (a worker's next request runs in the
    same thread and context)."""
    LOCALIZE_LINKS.set(None)


request_finished.connect(forget_pending, dispatch_uid="pages.translation.links.forget_pending")


def localize_now(page, request):
    """Every link of the page's StreamFields and of the footer that points at a page in another
    language, pointed at that page's live version in the page's language, in one query."""
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
