"""Site-wide fragments: navigation and breadcrumbs. Each costs a fixed number of queries,
whatever the size of the site."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from wagtail.models import Site

from pages.models.base import public_pages

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
    }


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the home page to the current page, shown below the home page only."""
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page}
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is not None and page.depth == 3 and page.path.startswith(site.root_page.path):
        # Just below the home page, which serving the page has already loaded.
        return {"ancestors": [site.root_page], "page": page}
    return {"ancestors": list(page.get_ancestors().filter(depth__gt=1)), "page": page}


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
