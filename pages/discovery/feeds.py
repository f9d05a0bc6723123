"""Atom feeds, newest first, for people who follow the site in a feed reader: initiatives, news
and research, one of each per language (/feeds/news/, /es/feeds/news/). Every address in them is
on the site's public host (DJANGO_SITE_URL)."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pages.models.base import public_pages
from pages.models.initiatives import InitiativePage
from pages.models.news import NewsPage
from pages.models.research import PublicationPage
from pages.models.site_settings import OrganisationSettings, OrganisationWording
from pages.translation.alternates import language_home_url
from pages.translation.locales import active_language

from .metadata import description_for
from .site_address import absolute_url

ITEMS = 20


class SiteFeed(Feed):
    feed_type = Atom1Feed
    section = ""

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return OrganisationSettings.load(request_or_site=request)

    def title(self, org):
        return f"{org.organisation_name}: {self.section}"

    def link(self, org):
        return absolute_url(self.request, language_home_url(active_language()))

    def feed_url(self, org):
        return absolute_url(self.request, self.request.path)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return description_for(item)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_updateddate(self, item):
        return item.last_published_at


class InitiativesFeed(SiteFeed):
    section = _("initiatives")

    def subtitle(self, org):
        return OrganisationWording.for_request(self.request).tagline or gettext(
            "New and updated initiatives."
        )

    def items(self, org):
        return (
            public_pages(InitiativePage.objects.live())
            .filter(locale__language_code=active_language())
            .defer_streamfields()
            .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:ITEMS]
        )

    def item_pubdate(self, item):
        return item.first_published_at


class AuthoredFeed(SiteFeed):
    """Posts and publications: each entry names its authors, in order."""

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors()) or None

    def item_pubdate(self, item):
        # The date the editor gave it, not the moment it was saved.
        return timezone.make_aware(datetime.combine(item.published_on, time.min))


class NewsFeed(AuthoredFeed):
    section = _("news")

    def subtitle(self, org):
        return gettext("News and updates.")

    def items(self, org):
        return NewsPage.objects.for_listing().filter(locale__language_code=active_language())[
            :ITEMS
        ]

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]


class ResearchFeed(AuthoredFeed):
    section = _("research")

    def subtitle(self, org):
        return gettext("Reports, landscape scans, briefs, articles and datasets.")

    def items(self, org):
        return PublicationPage.objects.for_listing().filter(
            locale__language_code=active_language()
        )[:ITEMS]

    def item_categories(self, item):
        return [item.get_publication_type_display()]
