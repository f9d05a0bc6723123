"""Serving a page from the home page in the request's language, in one query.

Wagtail routes every request from `site.root_page.localized`, which looks the active locale up
in a query of its own, then the translation in another, before loading the home page's specific
type in a third. The site's root paths per language are already in the cache (Wagtail keeps them
there for building page addresses), so here the home page in the request's language is loaded
in one query whatever the language, and English and Spanish pages cost the same. What Wagtail
does next (view restrictions, hooks, the page's own serve) is Wagtail's own `serve`."""

from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from pages.caching.shared import enabled, kept_within_bounds, per_generation

from .locales import active_language


def serve(request, path):
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = route(request, path)
    return wagtail_views.serve(request, path)


def home_for_language(site, language):
    """The site's home page in `language`, of its specific type, else the site's own home (as
    Wagtail's `localized` falls back, a draft translation included)."""
    home = site.root_page
    home_class = home.specific_class or type(home)
    root_path = next(
        (
            root.root_path
            for root in Site.get_site_root_paths()
            if root.site_id == site.pk and root.language_code == language
        ),
        home.url_path,
    )
    found = None
    if root_path != home.url_path:
        found = home_class.objects.filter(
            translation_key=home.translation_key, url_path=root_path, live=True
        ).first()
    return found or home_class.objects.get(pk=home.pk)


def site_for(request):
    """The site a request is for, as `Site.find_for_request` finds it (and kept on the request
    where Wagtail looks for it), worked out once per cache generation (pages/caching/shared.py):
    the sites change only when something is published or saved."""
    site = per_generation(
        f"site:{request.get_host()}:{request.get_port()}",
        lambda: Site.find_for_request(request),
        request,
    )
    request._wagtail_site = site
    return site


def no_view_restrictions(request):
    """True when no page anywhere is private, kept per cache generation (saving or deleting a
    restriction sets a new one: pages/caching/invalidation.py); False whenever the shared parts
    are not kept, so that a caller then asks the database as Wagtail does."""
    return enabled() and not per_generation(
        "view-restrictions", PageViewRestriction.objects.exists, request
    )


def route(request, path):
    # The site and its home page in each language are the same for every request until
    # something is published: worked out once per cache generation.
    site = site_for(request)
    if site is None:
        return None
    language = active_language()
    home = per_generation(
        f"home:{site.pk}:{language}", lambda: home_for_language(site, language), request
    )
    request._routed_home = home  # the navigation and breadcrumbs start from it, free
    # What a page type keeps of its own per generation (pages/models/base.py:
    # kept_per_generation): a profile's lookup, a citation's or a dataset's file.
    request.kept_per_generation = lambda name, compute, size: kept_within_bounds(
        name, request, compute, size
    )
    try:
        found = home.route(request, [component for component in path.split("/") if component])
    except Http404:
        return None
    if no_view_restrictions(request):
        # No page is private: Wagtail's check before serving needs no query.
        page = found.page if isinstance(found, RouteResult) else found[0]
        page.no_view_restrictions = True
    return found
