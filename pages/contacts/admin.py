"""The staff side of contacts: the snippets for contacts, purposes and messages from the public,
and the dashboard's panel of new messages. Registered in pages/wagtail_hooks.py."""

from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pages.exports import SafeExportIndexView

from .models import Contact, ContactMessage, ContactPurpose


def can_read_messages(user):
    return user.has_perm("pages.view_contactmessage")


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


class ContactMessageViewSet(SnippetViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = "Messages"
    index_view_class = SafeExportIndexView
    list_display = ["name", "email", "purpose_name", "language", "state", "created_at"]
    list_filter = ["status", "delivery", "purpose", "language", "created_at"]
    search_fields = ["name", "email", "message"]
    search_backend_name = None
    ordering = ["-created_at"]
    list_export = [
        "created_at",
        "name",
        "email",
        "purpose_name",
        "language",
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


class NewMessagesPanel(Component):
    name = "new_contact_messages"
    template_name = "pages/admin/new_messages_panel.html"
    order = 140
    shown = 5

    def get_context_data(self, parent_context):
        new = ContactMessage.objects.filter(status=ContactMessage.Status.NEW)
        listing = reverse("wagtailsnippets_pages_contactmessage:list")
        return {
            "count": new.count(),
            "latest": new.order_by("-created_at")[: self.shown],
            "listing_url": f"{listing}?status={ContactMessage.Status.NEW}",
            "inspect_url_name": "wagtailsnippets_pages_contactmessage:inspect",
        }
