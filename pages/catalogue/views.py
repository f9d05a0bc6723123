"""Receiving an infrastructure the public suggests. The order of `receive_suggestion` is the
contact form's promise (pages/contacts/views.py): count the post, drop bots, validate, store,
and thank the visitor only once the suggestion is stored. A visitor held back by the rate limit
or by a database that refuses the write gets the form back with what they typed, never a
thank-you and never a server error."""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from pages.public_forms import flooded, retry_after
from pages.translation.locales import active_language

from .forms import SuggestionForm
from .models.suggestions import Suggestion

logger = logging.getLogger(__name__)

FLOODED = _(
    "You have sent several suggestions in a short time, so we have paused the form for a few "
    "minutes. Nothing you sent before is lost, and what you wrote is still here: please send "
    "it again later."
)
NOT_STORED = _(
    "We could not store your suggestion, so it has not reached us. Please try again in a "
    "minute: what you wrote is still here."
)
RETRY_AFTER_SECONDS = 60


def receive_suggestion(page, request):
    """Handle a post to the catalogue's suggestion form (`page` is the catalogue index)."""
    form = SuggestionForm(request.POST)
    if flooded(request, "catalogue-suggestion", settings.CATALOGUE_SUGGESTION_RATE):
        return form_again(
            page, request, form, FLOODED, 429, retry_after(settings.CATALOGUE_SUGGESTION_RATE)
        )
    thanks = HttpResponseRedirect(page.sub_path("suggest/thanks"), status=303)
    if form.is_bot():
        logger.info("Suggestion form: dropped a post that looked automated.")
        return thanks
    if not form.is_valid():
        return page.suggestion_page(request, form)

    data = form.cleaned_data
    category = data["category"]
    try:
        with transaction.atomic():
            Suggestion.objects.create(
                submission_id=data["submission_id"],
                name=data["name"],
                website=data["website"],
                provider=data["provider"],
                category=category,
                category_name=category.name if category else "",
                description=data["description"],
                email=data["email"],
                consent_to_contact=data["consent_to_contact"],
                language=active_language(),
            )
    except DatabaseError:
        # A double click or a resent post breaks the submission id's uniqueness, and was stored
        # the first time; any other failure stored nothing, and the visitor must not be thanked.
        if already_stored(data["submission_id"]):
            return thanks
        logger.exception("Suggestion form: could not store a suggestion.")
        return form_again(page, request, form, NOT_STORED, 503, RETRY_AFTER_SECONDS)
    return thanks


def already_stored(submission_id):
    try:
        return Suggestion.objects.filter(submission_id=submission_id).exists()
    except DatabaseError:
        return False


def form_again(page, request, form, message, status, seconds):
    """The form with what the visitor typed and why it was not taken, never from a cache. The
    form is not validated again (the flood check comes first, to cost nothing)."""
    response = page.suggestion_page(request, form, held_back=message)
    response.render()
    response.status_code = status
    response["Retry-After"] = str(seconds)
    add_never_cache_headers(response)
    return response


def answer_during_database_outage(request):
    """The `answer_during_database_outage` hook (pages/http/outage.py): a post of the suggestion
    form while the database cannot be reached gets the form back with what the visitor wrote
    (503), not the general page, as the contact form's does. The catalogue cannot be looked
    up, so the form is known by its fields and its signed token alone; a post without a good
    one (or with the honeypot filled) is left to the general page. Nothing here may query: the
    form is not validated, and the category (a row) travels as the id that was posted."""
    if request.method != "POST" or not {"form_token", "description"} <= set(request.POST):
        return None
    form = SuggestionForm(request.POST)
    if form.data.get(form.honeypot) or form.token() is None:
        return None
    response = render(
        request, "catalogue/suggestion_not_stored.html", {"form": form.given_back(NOT_STORED)}
    )
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
