"""A provider reaches only the admin addresses that serve their own entries: the dashboard,
their account and second factor, and the editor, preview, history and revisions of a page they
may edit. Every other /admin/ address answers 403, so a page, snippet, setting, report or API
that Wagtail would show any admin user (revisions of any page, the admin API's page listing)
stays out of reach, and an address added later is refused until it is listed here."""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve

from .grants import is_provider, own_entry_ids

# Addresses with no page in them that a provider needs.
ANYWHERE = {
    "wagtailadmin_home",
    "wagtailadmin_account",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_dismissibles",
    "wagtailadmin_editing_sessions:release",
    "wagtailadmin_block_preview",
}
ANYWHERE_NAMESPACES = {"second_factor", "otp_webauthn"}
# ...but not these in them (an administrator's own; the view checks too).
NEVER = {"second_factor:reset"}
# Addresses about one page (its id in `page_id` or `pk`): only for the provider's own entries.
OWN_PAGE = {
    "wagtailadmin_pages:edit",
    "wagtailadmin_pages:preview_on_edit",
    "wagtailadmin_pages:view_draft",
    "wagtailadmin_pages:history",
    "wagtailadmin_pages:history_results",
    "wagtailadmin_pages:revisions_index",
    "wagtailadmin_pages:revisions_view",
    "wagtailadmin_pages:revisions_compare",
    "wagtailadmin_pages:revisions_revert",
    "wagtailadmin_pages:workflow_history",
    "wagtailadmin_pages:workflow_history_detail",
    "wagtailadmin_pages:confirm_workflow_cancellation",
    # Confirming sections as still true (pages/catalogue/confirmation.py): the dates move at
    # once, the content stays as published; the view checks can_edit() too.
    "catalogue_confirm_sections",
}


def allowed(request, match):
    name = match.view_name
    if name in NEVER:
        return False
    if name in ANYWHERE or match.namespace in ANYWHERE_NAMESPACES:
        return True
    if name == "wagtailadmin_editing_sessions:ping":
        return (
            match.kwargs.get("app_label") == "wagtailcore"
            and match.kwargs.get("model_name") == "page"
            and match.kwargs.get("object_id", "").isdigit()
            and int(match.kwargs["object_id"]) in own_entry_ids(request.user)
        )
    if name in OWN_PAGE:
        page_id = match.kwargs.get("page_id", match.kwargs.get("pk"))
        return page_id is not None and int(page_id) in own_entry_ids(request.user)
    return False


class ProviderAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/") and is_provider(request.user):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is None or not allowed(request, match):
                raise PermissionDenied
        return self.get_response(request)
