"""The providers in the admin: Settings → Provider invitations (administrators invite a contact
to one or more entries), the dashboard panels (staff: stale entries and unanswered reminders; a
provider: their entries), and what a provider's admin leaves out. Registered in
wagtail_hooks.py."""

import logging

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from pages.catalogue.models import CatalogueEntryPage

from .grants import is_provider
from .models import Invitation
from .stale import stale_entries, stale_sections, unanswered_providers
from .tasks import send_invitation

logger = logging.getLogger(__name__)


def enqueue_invitation(invitation_id):
    """Hand the email to the task backend. If even that fails, the invitation is stored and
    the daily `remind_providers` run sends it."""
    try:
        send_invitation.enqueue(invitation_id)
    except Exception:
        logger.exception("Could not queue the email of provider invitation %s.", invitation_id)


class InvitationCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.invited_by = self.request.user
        instance.save()
        self.form.save_m2m()
        transaction.on_commit(lambda: enqueue_invitation(instance.pk))
        return instance

    def get_success_message(self, instance):
        return _("Invitation to %(email)s stored; the email is on its way.") % {
            "email": instance.email
        }


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Provider invitations")
    add_to_settings_menu = True
    add_view_class = InvitationCreateView
    list_display = ["name", "email", "language", "status", "created_at", "expires_at"]
    search_fields = ["name", "email"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("email"),
        FieldPanel("language"),
        FieldPanel("entries", widget=forms.CheckboxSelectMultiple),
    ]


def sees_stale_entries(user):
    """Staff who answer for what the catalogue says: administrators and whoever may publish."""
    return user.is_superuser or (
        not is_provider(user) and PagePermissionPolicy().user_has_any_permission(user, {"publish"})
    )


class StaleEntriesPanel(Component):
    name = "stale_catalogue_entries"
    template_name = "providers/stale_entries_panel.html"
    order = 150
    shown = 10

    def get_context_data(self, parent_context):
        stale = stale_entries()
        waiting = unanswered_providers()
        return {
            "count": stale.count(),
            "unanswered_count": waiting.count(),
            "unanswered": waiting.prefetch_related("entries")[: self.shown],
        }


class YourEntriesPanel(Component):
    """A provider's dashboard: their entries, what is stale, what waits for review."""

    name = "your_catalogue_entries"
    template_name = "providers/your_entries_panel.html"
    order = 10

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        entries = CatalogueEntryPage.objects.filter(providers__user=self.user).order_by("title")
        return {
            "entries": [
                {
                    "entry": entry,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[entry.pk]),
                    "stale": stale_sections(entry),
                    "in_review": entry.workflow_in_progress,
                }
                for entry in entries
            ]
        }
