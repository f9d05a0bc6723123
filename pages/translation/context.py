from django.utils.functional import SimpleLazyObject
from django.views import defaults

from pages.caching.shared import enabled, per_generation
from pages.models.site_settings import OrganisationSettings, OrganisationWording

from .locales import active_language


def organisation_wording(request):
    """`wording` in every template: the tagline and footer in the page's language, looked up
    only when a template reads it (an admin page or a feed does not)."""
    return {"wording": SimpleLazyObject(lambda: OrganisationWording.for_request(request))}


def keep_shared_parts(page, request, serve_args, serve_kwargs):
    """Wagtail's `before_serve_page` hook (pages/wagtail_hooks.py), first of them: a page being
    served reads the shared parts from the kept copies (`use_kept_shared_parts`)."""
    use_kept_shared_parts(request)


def use_kept_shared_parts(request):
    """The wording and the organisation's settings for this request, from the copies kept once
    per cache generation (pages/caching/shared.py), since every page shows them. Only where
    the database answered the routing (a page being served, an address that names none): the
    pages drawn during an outage must not query, and other views look them up as their
    templates read them."""
    if not enabled():
        return
    settings_name = OrganisationSettings.get_cache_attr_name()
    if not hasattr(request, settings_name):
        setattr(
            request,
            settings_name,
            per_generation("organisation-settings", _organisation_settings, request),
        )
    language = active_language()
    wording_name = f"_organisation_wording_{language}"
    if not hasattr(request, wording_name):
        setattr(
            request,
            wording_name,
            per_generation(f"organisation-wording:{language}", _wording, request),
        )


def page_not_found(request, exception):
    """handler404: Django's 404 page. Where the page tree's routing asked the database and found
    no page (pages/translation/routing.py sets `_wagtail_route_for_request` to None), the
    wording and the organisation's settings come from the copies kept per generation, as a
    served page's do: an address that names nothing costs the routing's lookup and the
    redirects' only. Other 404s (a view's own) look them up as their templates read them."""
    if getattr(request, "_wagtail_route_for_request", False) is None:
        use_kept_shared_parts(request)
    return defaults.page_not_found(request, exception)


def _organisation_settings():
    org = OrganisationSettings.load()
    # What the footer, the contact form and the structured data read, looked up now, once.
    org.primary_contact  # noqa: B018
    org.privacy_page  # noqa: B018
    list(org.social_profiles)
    return org


def _wording():
    wording = OrganisationWording.for_request(None)
    list(wording.footer_links)  # the links' pages, in one query, once
    return wording
