"""Wagtail's API v2 endpoints, narrowed to what anyone may read on the public site.

Wagtail's own endpoints answer a request as its sender could see the site: signed in (the
session, HTTP Basic), past a page's password, they list restricted pages; and they list every
image and document outside a restricted collection, used on a page or not. Here:

- nobody is signed in to the API (no authentication at all), and a page counts only if it is
  live and no view restriction of any kind (password, sign-in, groups) sits on it, on an
  ancestor, or on the page it is an alias of;
- images and documents count only if a live, public page uses them (Wagtail's reference index)
  and no collection above them is restricted;
- JSON only (no browsable HTML), a bounded page size and offset, a rate limit per address
  answered with a JSON 429 and Retry-After, and hostile parameters answered 400, never 500.

A page type is exposed by its `api_fields` (docs/api.md)."""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DataError
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import NoReverseMatch
from django_ratelimit import ALL
from django_ratelimit.core import _split_rate, is_ratelimited
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.serializers import PageHtmlUrlField, PageLocaleField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    ReferenceIndex,
)

from pages.caching.shared import kept_within_bounds, per_generation
from pages.translation.routing import no_view_restrictions, site_for

# Past this, an offset is a probe, not a reader: databases refuse offsets beyond 64 bits.
MAX_OFFSET = 100_000


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class PublicReadOnly:
    """What every endpoint shares: anonymous, JSON, paginated, rate-limited."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    pagination_class = BoundedPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        rate = settings.API_RATE
        if is_ratelimited(
            request._request, group="api", key="ip", rate=rate, method=ALL, increment=True
        ):
            raise Throttled(wait=_split_rate(rate)[1])

    # A listing's or an item's answer is kept once per cache generation for its exact address
    # (path, query string, scheme; the host is part of every kept name), as the pages' content
    # is (pages/caching/shared.py, within the same bounds): a publish, or any change pages show,
    # sets a new generation. Search is worked out every time, as the page cache never keeps it.
    # Errors are never kept. The rate limit still counts every request (`initial`).
    def listing_view(self, request):
        return self.kept_answer(request, super().listing_view)

    def detail_view(self, request, pk):
        answer = super().detail_view
        return self.kept_answer(request, lambda request: answer(request, pk))

    def kept_answer(self, request, answer):
        if "search" in request.GET:
            return answer(request)
        data = kept_within_bounds(
            f"api:{request.scheme}:{request.get_full_path()}",
            request._request,
            # As plain JSON data: the serializer's own holds the serializer and its request.
            lambda: json.loads(json.dumps(answer(request).data, cls=JSONEncoder)),
            size=lambda data: len(json.dumps(data)),
        )
        return Response(data)

    def handle_exception(self, exc):
        # A malformed value in a filter reaches the database as a query it cannot run.
        if isinstance(exc, (ValueError, ValidationError, DataError, OverflowError)):
            return Response(
                {"message": "a parameter has a value this API cannot use"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Readable by pages on other sites (CORS, django-cors-headers) and by their embeds.
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response


def public_live_pages(request=None):
    """Live pages with no view restriction on them, an ancestor, or their alias source.

    Filtered by path only, as Wagtail's `.public()` is, so that search can still run on it.
    Where the site has no restriction at all (known per cache generation), every live page."""
    if request is not None and no_view_restrictions(request):
        return Page.objects.live()
    public = Page.objects.live().public()
    private_aliases = Page.objects.filter(alias_of__in=Page.objects.not_public())
    hidden = Q()
    for path in private_aliases.values_list("path", flat=True):
        hidden |= Q(path__startswith=path)
    return public.exclude(hidden) if hidden else public


class LanguageCodeField(PageLocaleField):
    """A page's language ('en', 'es') from its locale id: the site's few locales are read once
    per answer, not once per page listed."""

    def to_representation(self, page):
        codes = self.context.setdefault("language_codes", {})
        if not codes:
            codes.update(Locale.objects.values_list("pk", "language_code"))
        return codes.get(page.locale_id) or page.locale.language_code


class PageAddressField(PageHtmlUrlField):
    """A page's address, from the site's root paths read once per answer (Wagtail keeps them on
    the request), not once per page listed (`page.full_url` reads them from the cache)."""

    def to_representation(self, page):
        try:
            return page.get_full_url(request=self.context["request"])
        except NoReverseMatch:
            return None


class PublicPageSerializer(PageSerializer):
    locale = LanguageCodeField(read_only=True)
    html_url = PageAddressField(read_only=True)


class PublicPagesAPIViewSet(PublicReadOnly, PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer

    def get_base_queryset(self):
        if not hasattr(self, "_public_pages"):
            if not self.request.GET.get("site"):
                # The request's own site, kept per cache generation as the pages' routing
                # keeps it; Wagtail's validator would look it up again.
                site_for(self.request._request)
            try:
                site = SiteFilterValidator(
                    site=self.request.GET.get("site"), request=self.request
                ).site_obj
            except ValueError as error:
                raise BadRequestError(str(error)) from error
            if site is None:
                self._public_pages = Page.objects.none()
            else:
                # Every language's tree, as Wagtail's own endpoint lists them (?locale=es
                # narrows to one), by the tree's `path`: search may filter on it, not on
                # `url_path` (which answered every search with a 400).
                in_a_tree = Q()
                for path in home_paths(self.request._request, site):
                    in_a_tree |= Q(path__startswith=path)
                self._public_pages = public_live_pages(self.request._request).filter(in_a_tree)
        return self._public_pages

    def find_object(self, queryset, request):
        try:
            return super().find_object(queryset, request)
        except Http404:
            return None


def home_paths(request, site):
    """The tree paths of the site's home page in every language, kept per cache generation
    (pages/caching/shared.py)."""
    homes = Page.objects.filter(
        translation_key__in=Page.objects.filter(pk=site.root_page_id).values("translation_key")
    )
    return per_generation(
        f"api-home-paths:{site.pk}", lambda: list(homes.values_list("path", flat=True)), request
    )


def used_on_public_pages(model, request):
    """The `model` objects (images, documents) a live, public page refers to, outside any
    restricted collection."""
    page_type = ContentType.objects.get_for_model(Page)
    public_ids = public_live_pages(request).annotate(key=Cast("pk", CharField())).values("key")
    used = ReferenceIndex.objects.filter(
        base_content_type=page_type,
        object_id__in=public_ids,
        to_content_type=ContentType.objects.get_for_model(model),
    ).values("to_object_id")
    restricted_paths = Collection.objects.filter(
        pk__in=CollectionViewRestriction.objects.values("collection_id")
    ).values_list("path", flat=True)
    shown = model.objects.annotate(key=Cast("pk", CharField())).filter(key__in=used)
    for path in restricted_paths:
        shown = shown.exclude(collection__path__startswith=path)
    # As a list of ids: the search backend filters on indexed fields only, and `id` is one.
    return model.objects.filter(id__in=list(shown.values_list("id", flat=True))).order_by("id")


class PublicImagesAPIViewSet(PublicReadOnly, ImagesAPIViewSet):
    def get_queryset(self):
        return used_on_public_pages(self.model, self.request._request)


class PublicDocumentsAPIViewSet(PublicReadOnly, DocumentsAPIViewSet):
    def get_queryset(self):
        return used_on_public_pages(self.model, self.request._request)
