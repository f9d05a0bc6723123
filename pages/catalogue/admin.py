"""The catalogue in the admin, registered in pages/wagtail_hooks.py:

- its vocabularies (Snippets → Catalogue terms): data editors add a licence, a standard or a
  region here, and translate it like any snippet;
- the infrastructures the public suggests (Snippets → Suggested infrastructures), each accepted
  into a draft entry or declined with a reason (pages/catalogue/review.py);
- confirming an entry's sections as still true (pages/catalogue/confirmation.py), from the
  entry's editor.

Every action here is a POST, checked on the server; a GET shows what it would do."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import SnippetViewSet

from . import confirmation, review
from .models import CatalogueEntryPage, Suggestion, Term


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "tag"
    menu_label = "Catalogue terms"
    add_to_admin_menu = False
    list_display = ["name", "vocabulary", "slug", "locale"]
    list_filter = ["vocabulary", "locale"]
    list_export = ["vocabulary", "slug", "name", "description", "sort_order"]
    search_fields = ["name", "slug"]
    # A few hundred rows at most: plain database lookups, no search index to keep in step.
    search_backend_name = None
    ordering = ["vocabulary", "sort_order", "name"]


class SuggestionViewSet(SnippetViewSet):
    """What the public suggested, newest first. Read-only: the sender's words are kept as sent;
    what staff decide is recorded by the accept and decline actions."""

    model = Suggestion
    icon = "help"
    menu_label = gettext_lazy("Suggested infrastructures")
    add_to_admin_menu = False
    list_display = ["name", "provider", "category_name", "created_at", "status", "entry"]
    list_filter = ["status", "language", "consent_to_contact"]
    list_export = [
        "created_at",
        "name",
        "website",
        "provider",
        "category_name",
        "description",
        "email",
        "consent_to_contact",
        "language",
        "status",
        "decline_reason",
    ]
    search_fields = ["name", "provider", "website"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True


# Accept and decline


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it declined?"),
        max_length=1000,
        help_text=gettext_lazy(
            "Kept with the suggestion for staff, e.g. 'Not open infrastructure' or 'Already "
            "listed as …'. Up to 1,000 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def suggestions_url():
    return reverse(SuggestionViewSet().get_url_name("list"))


@require_http_methods(["GET", "POST"])
def accept_suggestion(request, pk):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    if not review.may_accept(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            entry = review.accept(suggestion.pk, request.user)
        except review.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect(suggestions_url())
        messages.success(
            request,
            _(
                "“%(name)s” is now a draft entry in the catalogue. Check it, fill it in and "
                "submit it for moderation."
            )
            % {"name": suggestion.name},
        )
        return redirect("wagtailadmin_pages:edit", entry.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/accept_suggestion.html",
        {"suggestion": suggestion, "back_url": suggestions_url()},
    )


@require_http_methods(["GET", "POST"])
def decline_suggestion(request, pk):
    suggestion = get_object_or_404(Suggestion, pk=pk)
    if not review.may_decide(request.user):
        raise PermissionDenied
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review.decline(suggestion.pk, request.user, form.cleaned_data["reason"])
        except review.Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("“%(name)s” was declined.") % {"name": suggestion.name})
        return redirect(suggestions_url())
    return TemplateResponse(
        request,
        "catalogue/admin/decline_suggestion.html",
        {"suggestion": suggestion, "form": form, "back_url": suggestions_url()},
        status=400 if form.errors else 200,
    )


def suggestion_buttons(snippet, user, next_url=None):
    """register_snippet_listing_buttons: accept and decline beside each new suggestion, for
    whoever may decide. (They lead to a page that asks before it does anything.)"""
    if not isinstance(snippet, Suggestion) or snippet.status != Suggestion.Status.NEW:
        return
    if review.may_accept(user):
        yield Button(
            _("Accept into a draft entry"),
            reverse("catalogue_accept_suggestion", args=[snippet.pk]),
            icon_name="plus",
            priority=10,
        )
    if review.may_decide(user):
        yield Button(
            _("Decline"),
            reverse("catalogue_decline_suggestion", args=[snippet.pk]),
            icon_name="cross",
            priority=20,
        )


# Confirming sections


@require_http_methods(["GET", "POST"])
def confirm_sections(request, page_id):
    entry = get_object_or_404(CatalogueEntryPage, pk=page_id)
    if not entry.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    choices = confirmation.section_choices(entry)
    if request.method == "POST":
        keys = request.POST.getlist("section")
        try:
            confirmed = confirmation.confirm(entry, keys, request.user)
        except confirmation.Refused as refusal:
            messages.error(request, str(refusal))
            return redirect("catalogue_confirm_sections", entry.pk)
        messages.success(
            request,
            _("Confirmed as still true today: %(sections)s.")
            % {"sections": ", ".join(str(section.title) for section in confirmed)},
        )
        return redirect("wagtailadmin_pages:edit", entry.pk)
    return TemplateResponse(
        request,
        "catalogue/admin/confirm_sections.html",
        {
            "entry": entry,
            "choices": choices,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[entry.pk]),
        },
    )


def confirm_buttons(page, user, view_name=None, next_url=None):
    """register_page_header_buttons: "Confirm sections" in an entry's editor, for whoever may
    edit it."""
    if not isinstance(page.specific_deferred, CatalogueEntryPage) or page.pk is None:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Confirm sections as still true"),
        reverse("catalogue_confirm_sections", args=[page.pk]),
        icon_name="success",
        priority=60,
    )


def admin_urls():
    return [
        path(
            "catalogue/suggestions/<int:pk>/accept/",
            accept_suggestion,
            name="catalogue_accept_suggestion",
        ),
        path(
            "catalogue/suggestions/<int:pk>/decline/",
            decline_suggestion,
            name="catalogue_decline_suggestion",
        ),
        path(
            "catalogue/entries/<int:page_id>/confirm/",
            confirm_sections,
            name="catalogue_confirm_sections",
        ),
    ]
