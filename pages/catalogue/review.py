"""What staff do with a suggested infrastructure: accept it into a draft entry under the
catalogue, or decline it with a reason. Each is safe to repeat: accepting twice (a double click,
two people at once) makes one draft; a suggestion once decided keeps its decision. Who may is
checked here, on the server, whatever the admin shows."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Locale

from .models.entries import RESERVED_SLUGS, CatalogueEntryPage, Term
from .models.index import CatalogueIndexPage
from .models.suggestions import Suggestion

SUMMARY_LIMIT = CatalogueEntryPage._meta.get_field("summary").max_length


class Refused(Exception):
    """The decision cannot be taken; the message says why, for the person who asked."""


def may_decide(user):
    return user.is_active and user.has_perm("catalogue.change_suggestion")


def catalogue_index():
    """The catalogue in the default language, where new entries are made."""
    return CatalogueIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()


def may_accept(user, index=None):
    index = index or catalogue_index()
    return (
        may_decide(user)
        and index is not None
        and index.permissions_for_user(user).can_add_subpage()
    )


def accept(suggestion_id, user):
    """The draft entry made from the suggestion: made now, or the one made the first time."""
    index = catalogue_index()
    if index is None:
        raise Refused(
            _("There is no catalogue to add the entry to: make the catalogue page first.")
        )
    if not may_accept(user, index):
        raise Refused(_("You may not add entries to the catalogue."))
    with transaction.atomic():
        # The claim is one conditional UPDATE: of two people accepting at once, one makes the
        # draft; the other waits for its commit (PostgreSQL's row lock, SQLite's write lock)
        # and finds the suggestion taken.
        now = timezone.now()
        claimed = (
            Suggestion.objects.filter(pk=suggestion_id)
            .filter(status=Suggestion.Status.NEW)
            .update(status=Suggestion.Status.ACCEPTED, decided_at=now, decided_by=user)
        )
        suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
        if suggestion is None:
            raise Refused(_("That suggestion does not exist (any more)."))
        if not claimed:
            if suggestion.status == Suggestion.Status.DECLINED:
                raise Refused(_("This suggestion was declined; it cannot be accepted now."))
            if suggestion.entry_id is not None:
                return suggestion.entry
            # Accepted before, and its draft deleted since: a new draft, claimed the same way.
            if not Suggestion.objects.filter(pk=suggestion_id, entry__isnull=True).update(
                decided_at=now, decided_by=user
            ):
                return Suggestion.objects.get(pk=suggestion_id).entry
        entry = draft_entry(suggestion, index, user)
        Suggestion.objects.filter(pk=suggestion_id).update(entry=entry)
        return entry


def decline(suggestion_id, user, reason):
    """Decline the suggestion with the reason; declining one already declined changes nothing."""
    if not may_decide(user):
        raise Refused(_("You may not decide on suggestions."))
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say why it is declined."))
    declined = Suggestion.objects.filter(pk=suggestion_id, status=Suggestion.Status.NEW).update(
        status=Suggestion.Status.DECLINED,
        decline_reason=reason[:1000],
        decided_at=timezone.now(),
        decided_by=user,
    )
    suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise Refused(_("That suggestion does not exist (any more)."))
    if not declined and suggestion.status == Suggestion.Status.ACCEPTED:
        raise Refused(
            _("This suggestion was accepted into a draft entry; delete the draft instead.")
        )
    return suggestion


def draft_entry(suggestion, index, user):
    """A draft entry under the catalogue, filled from the suggestion: never live, so it goes
    through the same editing and moderation as any entry."""
    entry = CatalogueEntryPage(
        title=suggestion.name,
        slug=free_slug(index, suggestion.name),
        provider=suggestion.provider,
        website=suggestion.website,
        summary=shortened(suggestion.description, SUMMARY_LIMIT),
        live=False,
        owner=user,
    )
    category = default_language_term(suggestion.category)
    if category is not None:
        entry.categories = [category]
    index.add_child(instance=entry)
    log(instance=entry, action="wagtail.create", user=user)
    entry.save_revision(user=user, log_action=True)
    return entry


def default_language_term(term):
    """A category chosen on the Spanish form is a Spanish row; entries take the default
    language's row of the same term."""
    if term is None or term.locale_id == Locale.get_default().pk:
        return term
    return Term.objects.filter(
        translation_key=term.translation_key, locale=Locale.get_default()
    ).first()


def free_slug(index, name):
    base = (slugify(name) or "entry")[:200]
    taken = set(index.get_children().values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def shortened(text, limit):
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
