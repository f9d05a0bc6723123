"""Site-wide fragments: navigation and breadcrumbs. Each costs a fixed number of queries,
whatever the size of the site."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from wagtail.models import Site

from pages.discovery.metadata import (
    SOCIAL_IMAGE,
    description_for,
    social_image_for,
    structured_data,
)
from pages.discovery.site_address import absolute_url
from pages.models.base import public_pages
from pages.models.site_settings import OrganisationSettings

register = template.Library()


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context):
    """The home page and its live, public children marked 'show in menus'."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"home": None, "items": []}
    home = site.root_page
    items = list(public_pages(home.get_children().live().in_menu()))
    current = context.get("page")
    current_path = getattr(current, "path", "")
    for item in items:
        item.is_current = current_path == item.path
        item.is_ancestor = not item.is_current and current_path.startswith(item.path)
    return {
        "home": home,
        "home_is_current": current_path == home.path,
        "items": items,
        "search_is_current": request.path == "/search/",
    }


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
    site = Site.find_for_request(request) if request is not None else None
    if site is not None and page.depth == 3 and page.path.startswith(site.root_page.path):
        ancestors = [site.root_page]
    else:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    page._site_ancestors = ancestors
    return ancestors


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to the current page, shown below the home page only."""
    return {"ancestors": ancestors_for(context), "page": context.get("page")}


@register.inclusion_tag("components/page_meta.html", takes_context=True)
def page_meta(context):
    """Description, canonical URL, Open Graph and Twitter cards, JSON-LD
    (pages/discovery/metadata.py)."""
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
    return {
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
