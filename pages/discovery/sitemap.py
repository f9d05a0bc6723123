"""/sitemap.xml: every live, public page in every language, each with its versions in the other
languages as `hreflang` alternates (and x-default, the default language's), as search engines
ask of a translated site. Wagtail's own sitemap lists the default language's tree only."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from pages.models.base import public_pages


class TranslatedSitemap(Sitemap):
    def items(self):
        home = self.get_wagtail_site().root_page
        homes = Page.objects.filter(translation_key=home.translation_key, depth=home.depth)
        in_a_tree = Q()
        for path in homes.values_list("path", flat=True):
            in_a_tree |= Q(path__startswith=path)
        return (
            public_pages(Page.objects.live().filter(in_a_tree))
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        batch = list(self.paginator.page(page).object_list)
        versions = self.versions_of(batch)
        for item in batch:
            alternates = versions.get(item.translation_key, [])
            for url_info in item.get_sitemap_urls(self.request):
                if sum(a["lang_code"] != "x-default" for a in alternates) > 1:
                    url_info["alternates"] = alternates
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def versions_of(self, batch):
        """Each translation key's live, public versions as sitemap alternates, in one query."""
        found = public_pages(
            Page.objects.live()
            .filter(translation_key__in={item.translation_key for item in batch})
            .select_related("locale")
        ).defer_streamfields()
        by_key = defaultdict(dict)
        for version in found:
            by_key[version.translation_key][version.locale.language_code] = version
        alternates = {}
        for key, by_language in by_key.items():
            listed = [
                {"lang_code": code, "location": by_language[code].get_full_url(self.request)}
                for code, _name in settings.LANGUAGES
                if code in by_language
            ]
            if settings.LANGUAGE_CODE in by_language:
                default = by_language[settings.LANGUAGE_CODE].get_full_url(self.request)
                listed.append({"lang_code": "x-default", "location": default})
            alternates[key] = listed
        return alternates
