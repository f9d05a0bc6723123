from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from pages.api.router import api_router
from pages.contacts.views import contact_vcard
from pages.discovery.feeds import InitiativesFeed, NewsFeed, ResearchFeed
from pages.discovery.robots import robots_txt
from pages.discovery.search import search
from pages.discovery.sitemap import TranslatedSitemap
from pages.http.cross_origin import cross_origin_protected
from pages.http.health import healthz, liveness
from pages.http.task_queue import tasks_healthz
from pages.translation.routing import serve

# A database outage met before any view (the session of a signed-in reader) is a 503 too.
handler500 = "pages.http.outage.server_error"
# An address that names no page: the footer's wording and settings from the kept copies.
handler404 = "pages.translation.context.page_not_found"

# The page tree takes posts from anonymous visitors only (the contact form): refused when they
# come from another website, with no CSRF cookie or token, so that its pages can be cached and
# set no cookie (pages/http/cross_origin.py, docs/security.md). Everything staff post goes to
# /admin/ and keeps Django's CSRF protection.
public_serve = cross_origin_protected(serve)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", healthz, name="healthz"),
    path("healthz/live/", liveness, name="liveness"),
    path("healthz/tasks/", tasks_healthz, name="tasks-healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("contacts/<int:pk>/vcard/", contact_vcard, name="contact-vcard"),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What a reader sees is in English at its address and in Spanish under /es/ (docs/translation.md):
# English addresses have no prefix, so none of them moved when Spanish came.
urlpatterns += i18n_patterns(
    path("search/", search, name="search"),
    # A provider accepting an invitation (pages/providers/, docs/providers.md).
    path("", include("pages.providers.urls")),
    path("feeds/initiatives/", InitiativesFeed(), name="initiatives-feed"),
    path("feeds/news/", NewsFeed(), name="news-feed"),
    path("feeds/research/", ResearchFeed(), name="research-feed"),
    # A page's files (the impact page's /impact/data/<dataset>.csv): Wagtail's own pattern takes
    # only paths of words ending in a slash, so these reach the page tree here, through the
    # same view, view restrictions and hooks as the page itself.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.(?:csv|json))$", public_serve),
    # Wagtail's page tree answers every other path, so it comes last: Wagtail's own view and
    # patterns, routed from the home page in the request's language in one query
    # (pages/translation/routing.py). Wagtail's own _util/ views (password, sign-in) stay its.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", public_serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
