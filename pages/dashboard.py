"""The admin dashboard's panel of new messages from the public, for those allowed to read them."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .models import ContactMessage


def can_read_messages(user):
    return user.has_perm("pages.view_contactmessage")


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
