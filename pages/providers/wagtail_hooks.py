"""What the providers app adds to Wagtail (Wagtail loads each app's wagtail_hooks): the
invitations, the dashboard panels, and a provider's admin cut down to what they may use."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks

from .admin import InvitationViewSet, StaleEntriesPanel, YourEntriesPanel, sees_stale_entries
from .grants import is_provider

# Actions at the foot of the page editor that a provider may not take (Wagtail would offer
# delete on a page that never went live, and lock).
REFUSED_ACTIONS = {"delete", "unpublish", "lock", "unlock", "publish", "set-privacy", "copy"}


@hooks.register("register_admin_viewset")
def register_invitations():
    return InvitationViewSet("provider_invitations")


@hooks.register("construct_homepage_panels")
def add_provider_panels(request, panels):
    if is_provider(request.user):
        panels[:] = [YourEntriesPanel(request.user)]
    elif sees_stale_entries(request.user):
        panels.append(StaleEntriesPanel())


@hooks.register("construct_main_menu")
def hide_menu_from_providers(request, menu_items):
    if is_provider(request.user):
        menu_items[:] = []


@hooks.register("construct_page_action_menu")
def hide_actions_from_providers(menu_items, request, context):
    if is_provider(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in REFUSED_ACTIONS]


@hooks.register("after_edit_page")
def back_to_the_providers_dashboard(request, page):
    """Wagtail sends someone who submitted a page to its parent in the explorer, which a
    provider cannot open: they go back to their dashboard, where the entry says it waits for
    review."""
    leaving = ("action-submit", "action-cancel-workflow", "action-restart-workflow")
    if is_provider(request.user) and any(key in request.POST for key in leaving):
        return redirect(reverse("wagtailadmin_home"))
    return None
