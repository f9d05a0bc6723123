"""A translated page goes through the same moderation as an English one.

wagtail-localize's translation editor takes the place of Wagtail's page editor for a translated
page, and offers one action only, "Publish in Spanish", to those who may publish: it cannot
submit to a workflow. Its translations are kept as the translator types them, but nothing makes
a revision of the page from them until someone publishes.

So a translator submits from here: the page's current translations become a new revision of the
Spanish page (its live version, if any, is left as it is), and the page's workflow starts on it,
as Wagtail's own "Submit to Moderators approval" would. A moderator approves it from the
dashboard's "Awaiting your review", which publishes that revision.

(wagtail-localize's own `save_target(publish=False)` is not used: it writes the translation into
the page's row as well, and the row is what the public sees of a live page.)"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail.admin.widgets.button import Button
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

URL_NAME = "submit_translation_for_review"


def translation_of(page):
    """The synced translation that writes this page, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def can_submit(user, page):
    perms = page.permissions_for_user(user)
    return perms.can_edit() and perms.can_submit_for_moderation()


def submit_for_review(translation, page, user):
    """Make the translations a revision of the page and start its workflow on it."""
    draft = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    draft.slug = find_available_slug(page.get_parent(), slugify(draft.slug), ignore_page_id=page.pk)
    with transaction.atomic():
        draft.save_revision(user=user, log_action=True)
        page.get_workflow().start(draft, user)
    return draft


@require_http_methods(["GET", "POST"])
def submit_translation_for_review(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    translation = translation_of(page)
    if translation is None or page.alias_of_id:
        # An alias follows its original and has no revisions: it is translated first.
        raise Http404("This page is not a synced translation.")
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    workflow = page.get_workflow()
    next_url = get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=[page.get_parent().pk]
    )
    if not can_submit(request.user, page):
        messages.error(
            request,
            f"“{page.get_admin_display_title()}” is already in moderation, or locked.",
        )
        return redirect(next_url)

    if request.method == "POST":
        try:
            submit_for_review(translation, page, request.user)
        except ValidationError as error:
            messages.error(
                request,
                "The translation could not be submitted: "
                + "; ".join(error.messages)
                + " Correct it in the translation editor and submit again.",
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
        messages.success(
            request,
            f"“{page.get_admin_display_title()}” in {translation.target_locale.get_display_name()}"
            f" has been submitted to {workflow.name}.",
        )
        return redirect(next_url)

    return TemplateResponse(
        request,
        "pages/admin/submit_translation.html",
        {
            "page": page,
            "translation": translation,
            "workflow": workflow,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "next_url": next_url,
            "preview_url": reverse("wagtail_localize:preview_translation", args=[translation.pk]),
        },
    )


def admin_urls():
    return [
        path(
            "translations/page/<int:page_id>/submit/",
            submit_translation_for_review,
            name=URL_NAME,
        )
    ]


def submit_buttons(page, user, view_name=None, next_url=None):
    """register_page_header_buttons and register_page_listing_more_buttons: beside the page,
    in the explorer, for whoever may submit its translation."""
    if page.is_root() or page.locale_id == Locale.get_default().pk:
        return
    if page.alias_of_id or not can_submit(user, page) or translation_of(page) is None:
        return
    url = reverse(URL_NAME, args=[page.pk])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    yield Button(
        f"Submit translation to {page.get_workflow().name}",
        url,
        icon_name="resubmit",
        priority=55,
    )
