"""The staff side of the link library: the snippets for links and categories (with each link's
health), and the link-health report's menu item. Registered in pages/wagtail_hooks.py."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.urls import path
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pages.exports import SafeExportIndexView

from .models import CheckedURL, Link, LinkCategory
from .report import LinkHealthReportView, can_manage_links, use_final_url


class LinkFilterSet(WagtailFilterSet):
    health = django_filters.ChoiceFilter(
        label="Health",
        choices=[*CheckedURL.Status.choices, ("unchecked", "Not checked yet")],
        method="filter_health",
        empty_label="Any",
    )

    def filter_health(self, queryset, name, value):
        checked = CheckedURL.objects.values("url")
        if value == "unchecked":
            return queryset.exclude(url__in=checked)
        return queryset.filter(url__in=checked.filter(status=value))

    class Meta:
        model = Link
        fields = ["category", "language", "featured"]


class LinkViewSet(SnippetViewSet):
    model = Link
    icon = "link"
    menu_label = "Links"
    index_view_class = SafeExportIndexView
    filterset_class = LinkFilterSet
    list_display = ["title", "url", "category", "health", "featured"]
    search_fields = ["title", "url", "description"]
    search_backend_name = None
    list_export = ["title", "url", "description", "category", "language", "featured", "health"]
    export_filename = "links"

    def get_queryset(self, request):
        health = CheckedURL.objects.filter(url=OuterRef("url")).values("status")[:1]
        return Link.objects.select_related("category").annotate(health_status=Subquery(health))


class LinkCategoryViewSet(SnippetViewSet):
    model = LinkCategory
    icon = "tag"
    menu_label = "Categories"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None


class LinksGroup(SnippetViewSetGroup):
    items = (LinkViewSet, LinkCategoryViewSet)
    menu_label = "Links"
    menu_icon = "link"
    menu_order = 240


def report_urls():
    return [
        path("reports/link-health/", LinkHealthReportView.as_view(), name="link_health_report"),
        path(
            "reports/link-health/results/",
            LinkHealthReportView.as_view(results_only=True),
            name="link_health_report_results",
        ),
        path(
            "reports/link-health/<int:pk>/use-final-url/",
            use_final_url,
            name="link_health_use_final_url",
        ),
    ]


class LinkHealthMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_links(request.user)
