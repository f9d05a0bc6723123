"""The admin for what is not a page (contacts and messages from the public, the link library
and its health report), the dashboard panels, and the server-side refusal to publish for those
who may only submit."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .dashboard import NewMessagesPanel, can_read_messages
from .link_health import BrokenLinksPanel, LinkHealthReportView, can_manage_links, use_final_url
from .models import CheckedURL, Contact, ContactMessage, ContactPurpose, Link, LinkCategory
from .moderation import refuse_publish_on_create, refuse_publish_on_edit
from .spreadsheets import SafeExportIndexView


class ContactViewSet(SnippetViewSet):
    model = Contact
    icon = "user"
    menu_label = "Contacts"
    index_view_class = SafeExportIndexView
    list_display = ["name", "role", "purpose", "email", "is_public"]
    list_filter = ["purpose", "is_public"]
    search_fields = ["name", "role", "email"]
    # A few hundred rows at most: plain database lookups, no search index to keep in step.
    search_backend_name = None
    list_export = ["name", "role", "email", "phone", "purpose", "is_public"]
    export_filename = "contacts"


class ContactPurposeViewSet(SnippetViewSet):
    model = ContactPurpose
    icon = "tag"
    menu_label = "Purposes"
    list_display = ["name", "description", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None


class ReceivedOnlyPolicy(ModelPermissionPolicy):
    """Messages come from the public, never typed in by staff: nobody may add one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ContactMessage, ReceivedOnlyPolicy(ContactMessage))


class ContactMessageViewSet(SnippetViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = "Messages"
    index_view_class = SafeExportIndexView
    list_display = ["name", "email", "purpose_name", "state", "created_at"]
    list_filter = ["status", "delivery", "purpose", "created_at"]
    search_fields = ["name", "email", "message"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_export = [
        "created_at",
        "name",
        "email",
        "purpose_name",
        "message",
        "routed_to_email",
        "status",
        "delivery",
        "last_error",
        "notes",
    ]
    export_filename = "contact-messages"
    copy_view_enabled = False
    inspect_view_enabled = True


class ContactsGroup(SnippetViewSetGroup):
    items = (ContactViewSet, ContactPurposeViewSet, ContactMessageViewSet)
    menu_label = "Contacts"
    menu_icon = "group"
    menu_order = 250


register_snippet(ContactsGroup)


# The link library and its health


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


register_snippet(LinksGroup)


@hooks.register("register_admin_urls")
def link_health_urls():
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


@hooks.register("register_reports_menu_item")
def link_health_menu_item():
    return LinkHealthMenuItem("Link health", reverse("link_health_report"), icon_name="link")


@hooks.register("construct_homepage_panels")
def add_broken_links_panel(request, panels):
    if can_manage_links(request.user):
        panels.append(BrokenLinksPanel())


@hooks.register("construct_homepage_panels")
def add_new_messages_panel(request, panels):
    if can_read_messages(request.user):
        panels.append(NewMessagesPanel())


hooks.register("before_edit_page", refuse_publish_on_edit)
hooks.register("before_create_page", refuse_publish_on_create)
