"""A page in each language: what the language switcher links to, the `hreflang` alternates in
the head and the sitemap, and each language's home page."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

from pages.caching.shared import per_generation
from pages.models.base import public_pages

from .locales import active_language

# Open Graph names a locale with its territory. Spanish here is written for Latin America.
OG_LOCALES = {"en": "en_US", "es": "es_LA"}


@dataclass(frozen=True)
class Version:
    language: str  # 'en', 'es'
    name: str  # the language's own name: 'English', 'Español'
    page: Page | None  # None: the language has no version of this page

    @property
    def og_locale(self):
        return OG_LOCALES.get(self.language, self.language)


def page_versions(page):
    """The page's live, public versions, one per language in LANGUAGES order (the page itself
    among them once it is live). One query, once per page rendered."""
    cached = getattr(page, "_language_versions", None)
    if cached is not None:
        return cached
    cached = page._language_versions = per_generation(
        f"versions:{page.translation_key}", lambda: _versions(page)
    )
    return cached


def _versions(page):
    """Worked out once per cache generation (pages/caching/shared.py): a publish in any
    language sets a new one."""
    found = public_pages(
        Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
    ).defer_streamfields()
    by_language = {version.locale.language_code: version for version in found}
    return [
        Version(code, name, by_language[code])
        for code, name in settings.LANGUAGES
        if code in by_language
    ]


def language_home_url(language):
    """The address of a language's home page: / for English, /es/ for Spanish."""
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def language_home(request):
    """The home page in the request's language (else the site's own), once per request: the
    navigation and the breadcrumbs start from it. No query for a page (Wagtail has found it to
    route the request) nor in the default language."""
    language = active_language()
    routed = getattr(request, "_routed_home", None)
    if routed is not None:
        return routed  # the home page Wagtail routed this request from: no query
    cache_name = f"_language_home_{language}"
    if hasattr(request, cache_name):
        return getattr(request, cache_name)
    site = Site.find_for_request(request)
    home = site.root_page if site is not None else None
    if home is not None and language != settings.LANGUAGE_CODE:
        home = (
            Page.objects.filter(
                translation_key=home.translation_key, locale__language_code=language
            )
            .live()
            .first()
        ) or home
    setattr(request, cache_name, home)
    return home
