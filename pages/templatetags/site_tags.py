"""Site-wide fragments: navigation and breadcrumbs. Each costs a fixed number of queries,
whatever the size of the site."""

import copy
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from pages.caching.shared import fragment, per_generation
from pages.catalogue.models import CatalogueIndexPage
from pages.discovery.metadata import (
    SOCIAL_IMAGE,
    description_for,
    social_image_for,
    structured_data,
)
from pages.discovery.site_address import absolute_url
from pages.fields import safe_url as gated_url
from pages.models.base import public_pages
from pages.models.site_settings import OrganisationSettings
from pages.translation.alternates import (
    OG_LOCALES,
    language_home,
    language_home_url,
    page_versions,
)
from pages.translation.locales import active_language

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The home page and its live, public children marked 'show in menus'. The pages are kept
    once per cache generation (pages/caching/shared.py), and so is the rendered menu for each
    item it can mark current: rendering it (an address per item) was some 2 ms of every
    page."""
    request = context.get("request")
    home = language_home(request) if request is not None else None
    if home is None:
        return ""
    kept = per_generation(
        f"menu:{home.pk}",
        lambda: list(public_pages(home.get_children().live().in_menu())),
        request,
    )
    items = [copy.copy(item) for item in kept]
    # Kept for the rest of the page: the overview's link to the catalogue reads it, free.
    request.menu_pages = items
    current = context.get("page")
    current_path = getattr(current, "path", "")
    for item in items:
        item.is_current = current_path == item.path
        item.is_ancestor = not item.is_current and current_path.startswith(item.path)
    menu = {
        "request": request,
        "home": home,
        "home_is_current": current_path == home.path,
        "items": items,
        "search_is_current": request.path == reverse("search"),
    }
    marked = [item.pk for item in items if item.is_current or item.is_ancestor]
    key = (
        f"main-navigation:{home.pk}:{get_language()}:{menu['home_is_current']}:"
        f"{menu['search_is_current']}:{marked}:{[item.is_current for item in items]}"
    )
    return fragment(key, request, lambda: render_to_string("components/main_navigation.html", menu))


@register.simple_tag(takes_context=True)
def card(context, template_name, name, item, **variant):
    """A listing's card for `item` (given to the template as `name`), rendered once per cache
    generation for each language and variant (heading level, the addresses it links to), not
    once per request: a card shows only the item, its authors and tags, and what the
    generation follows (a publish, a person, a setting; pages/caching/invalidation.py).

        {% card "components/news_card.html" "post" post heading_level=2 people_url=people_url %}

    The card sees only what is passed, so that the key names everything it shows."""
    request = context.get("request")
    key = f"card:{template_name}:{item.pk}:{get_language()}:{sorted(variant.items())!r}"
    card_template = context.template.engine.get_template(template_name)
    return fragment(
        key,
        request,
        lambda: card_template.render(context.new({name: item, "request": request, **variant})),
    )


def fragment_key(name, values):
    """What a kept fragment is known by besides the host: its name, the language, its values."""
    return f"fragment:{name}:{get_language()}:{values!r}"


class FragmentNode(template.Node):
    def __init__(self, name, args, nodelist):
        self.name, self.args, self.nodelist = name, args, nodelist

    def render(self, context):
        values = [arg.resolve(context) for arg in self.args]
        if values and values[0] is None:  # not to be kept (a search's results, say)
            return self.nodelist.render(context)
        return fragment(
            fragment_key(self.name, values),
            context.get("request"),
            lambda: self.nodelist.render(context),
        )


@register.tag("fragment")
def fragment_tag(parser, token):
    """What is between `{% fragment "name" value … %}` and `{% endfragment %}`, rendered once per
    cache generation for each language and set of values, not once per request. The values
    must name everything the fragment shows besides the page's data: a listing's filter and
    page number, say; a first value of None renders it without keeping it. Its context
    values are best lazy (a listing's queries then run on a miss only)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        bits[1].strip("\"'"), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )


@register.simple_tag(takes_context=True)
def catalogue_in_menu(context):
    """The catalogue, if the navigation above shows it: no query of its own (the overview links
    to it)."""
    request = context.get("request")
    for item in getattr(request, "menu_pages", []):
        if item.specific_class is CatalogueIndexPage:
            return item
    return None


def ancestors_for(context):
    """The page's ancestors below the tree root, once per render: the breadcrumbs and the
    structured data both need them. Just below the home page they cost no query (serving the
    page has loaded the home page already)."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return []
    cached = getattr(page, "_site_ancestors", None)
    if cached is not None:
        return cached
    request = context.get("request")
    home = language_home(request) if request is not None else None
    if home is not None and page.depth == 3 and page.path.startswith(home.path):
        ancestors = [home]
    else:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    page._site_ancestors = ancestors
    return ancestors


def kept_for_the_page(context, name, template_name, make_context):
    """The template rendered with make_context(context), kept once per cache generation for the
    page and the address being served (a routable page's sub-addresses apart), as
    {% fragment %} keeps a page's content; worked out each time for anything but a saved page
    (a new page's preview, a view with no page)."""
    page, request = context.get("page"), context.get("request")

    def render():
        return render_to_string(template_name, make_context(context))

    if getattr(page, "pk", None) is None or request is None:
        return mark_safe(render())  # noqa: S308 (a template's output, escaped by it)
    return mark_safe(fragment(fragment_key(name, [page.pk, request.path]), request, render))  # noqa: S308 (as above)


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to the current page, shown below the home page only."""
    return kept_for_the_page(
        context,
        "breadcrumbs",
        "components/breadcrumbs.html",
        lambda context: {"ancestors": ancestors_for(context), "page": context.get("page")},
    )


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Description, canonical URL, Open Graph and Twitter cards, JSON-LD
    (pages/discovery/metadata.py), kept with the page's content."""
    return kept_for_the_page(context, "meta", "components/page_meta.html", page_meta_context)


def page_meta_context(context):
    page = context.get("page")
    request = context.get("request")
    if page is None or request is None or not hasattr(page, "get_full_url"):
        return {}
    org = OrganisationSettings.load(request_or_site=request)
    canonical = page.get_full_url(request)
    image = social_image_for(page, org)
    description = description_for(page)
    image_url = None
    if image is not None:
        image_url = absolute_url(request, image.get_rendition(SOCIAL_IMAGE).url)
    versions = page_versions(page) if page.pk else []
    language = active_language()
    default_version = next((v for v in versions if v.language == settings.LANGUAGE_CODE), None)
    return {
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [v.og_locale for v in versions if v.language != language],
        # hreflang: every language's version, the page itself among them, and x-default (the
        # default language's), once the page has a version in another language.
        "alternates": [
            {"hreflang": v.language, "href": v.page.get_full_url(request)} for v in versions
        ]
        if len(versions) > 1
        else [],
        "x_default": default_version.page.get_full_url(request)
        if default_version and len(versions) > 1
        else "",
        "title": page.seo_title or page.title,
        "description": description,
        "canonical": canonical,
        "site_name": org.organisation_name,
        "image_url": image_url,
        "image_alt": getattr(page, "hero_image_alt", "") if image is not None else "",
        "structured_data": structured_data(
            page, org, request, ancestors_for(context), canonical, description
        ),
    }


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """A link to the page in each other language: its translation where there is one, else
    that language's home page (a search keeps its query). Kept with the page's content."""
    if context.get("request") is None:
        return ""
    return kept_for_the_page(
        context,
        "language-switcher",
        "components/language_switcher.html",
        lambda context: _switcher_links(context["request"], context.get("page")),
    )


def _switcher_links(request, page):
    """The language switcher's context: a link for each language but the reader's."""
    versions = {}
    if isinstance(page, Page) and page.pk:
        versions = {v.language: v.page for v in page_versions(page)}
    current = active_language()
    found = []
    for language, name in settings.LANGUAGES:
        if language == current:
            continue
        translated = versions.get(language)
        if translated is not None:
            url = translated.get_url(request)
        elif (
            page is None
            and request.resolver_match
            and request.resolver_match.url_name
            not in (
                None,
                "wagtail_serve",
            )
        ):
            url = translate_url(request.get_full_path(), language)
        else:
            url = language_home_url(language)
        found.append({"language": language, "name": name, "url": url})
    return {"links": found}


@register.filter
def safe_url(value):
    """The gate every address drawn from stored data passes on its way into an `href` or
    `src` (pages/fields.py: safe_url): the address, or "" for one a reader must not follow."""
    return gated_url(value)


@register.filter
def jsonld(data):
    """A JSON-LD script element. `<`, `>` and `&` are escaped inside the JSON, so text an editor
    typed can never close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate({ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"})
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.filter
def minutes(duration):
    """A timedelta as whole minutes, e.g. for the sign-in lockout page."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.simple_tag
def site_name():
    """The site's name from settings, for the pages drawn when the database may be gone
    (standalone.html); everywhere else the organisation settings name it."""
    return settings.WAGTAIL_SITE_NAME
