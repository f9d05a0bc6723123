"""An Atom feed of initiatives, newest first: for people who follow the site in a feed reader."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils.feedgenerator import Atom1Feed

from pages.models.base import public_pages
from pages.models.initiatives import InitiativePage
from pages.models.site_settings import OrganisationSettings

from .metadata import description_for
from .site_address import absolute_url

ITEMS = 20


class InitiativesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return OrganisationSettings.load(request_or_site=request)

    def title(self, org):
        return f"{org.organisation_name}: initiatives"

    def subtitle(self, org):
        return org.tagline or "New and updated initiatives."

    # Absolute addresses on the site's public host (DJANGO_SITE_URL), not the request's.
    def link(self, org):
        return absolute_url(self.request, "/")

    def feed_url(self, org):
        return absolute_url(self.request, self.request.path)

    def items(self, org):
        return (
            public_pages(InitiativePage.objects.live())
            .defer_streamfields()
            .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return description_for(item)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
