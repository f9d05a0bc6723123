"""How a message from the public is received, and the public contacts as vCards.

The order of `receive_message` is the promise: count the post, drop bots, validate, store, and
only then try to email anyone."""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Case, When
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from pages.models.site_settings import OrganisationSettings
from pages.public_forms import flooded, retry_after
from pages.translation.locales import active_language

from .forms import ContactForm, make_form_token
from .models import Contact, ContactMessage
from .tasks import send_contact_message_email

logger = logging.getLogger(__name__)


def recipient_for(purpose):
    """The contact messages about this purpose go to: its first contact, else the primary. A
    purpose's contacts are the same in every language: a message about the Spanish purpose goes
    to whoever answers the English one."""
    contact = None
    if purpose is not None:
        contact = (
            Contact.objects.filter(purpose__translation_key=purpose.translation_key)
            .order_by(
                Case(When(locale__language_code=settings.LANGUAGE_CODE, then=0), default=1),
                "sort_order",
            )
            .first()
        )
    return contact or OrganisationSettings.load().primary_contact


def receive_message(page, request):
    """Handle a post to the contact page. Returns the response to send."""
    if flooded(request, "contact-form", settings.CONTACT_FORM_RATE):
        response = render(request, "429.html", {"page": page}, status=429)
        response["Retry-After"] = str(retry_after(settings.CONTACT_FORM_RATE))
        return response

    form = ContactForm(request.POST)
    thanks = HttpResponseRedirect(page.url + page.reverse_subpage("thanks"), status=303)
    if form.is_bot():
        logger.info("Contact form: dropped a post that looked automated.")
        return thanks
    if not form.is_valid():
        return page.render(request, context_overrides={"form": form})

    data = form.cleaned_data
    purpose = data["purpose"]
    contact = recipient_for(purpose)
    try:
        with transaction.atomic():
            message = ContactMessage.objects.create(
                submission_id=data["submission_id"],
                name=data["name"],
                email=data["email"],
                purpose=purpose,
                purpose_name=purpose.name if purpose else "",
                message=data["message"],
                language=active_language(),
                routed_to=contact,
                routed_to_email=contact.email if contact else "",
            )
    except DatabaseError:
        # A double click or a resent post breaks the submission id's uniqueness, and was stored
        # the first time. Any other failure (another constraint, a lost connection, a database
        # that refuses writes) stored nothing: the visitor must not be thanked.
        if already_stored(data["submission_id"]):
            return thanks
        logger.exception("Contact form: could not store a message.")
        return not_stored(page, request, form)

    transaction.on_commit(lambda: enqueue_notification(message.pk))
    return thanks


NOT_STORED = _(
    "We could not store your message, so it has not reached us. Please try again in a "
    "minute: what you wrote is still here."
)
# How long a visitor (or their browser) should wait before sending again.
RETRY_AFTER_SECONDS = 60


def already_stored(submission_id):
    try:
        return ContactMessage.objects.filter(submission_id=submission_id).exists()
    except DatabaseError:
        return False  # the database is not answering at all: nothing is known to be stored


def not_stored(page, request, form):
    """The form again, with what the visitor wrote and why it was not sent: a 503, never a
    thank-you. The same submission id is kept, so sending it again stores one message even if
    the failed attempt did reach the database. If the database is gone altogether and the
    contact page cannot be drawn, a plain page without a query keeps the text instead."""
    form.add_error(None, NOT_STORED)
    try:
        response = page.render(request, context_overrides={"form": form, "not_stored": True})
        response.render()
    except DatabaseError:
        response = render(request, "pages/contact_not_stored.html", {"form": form, "page": page})
    return unavailable_for_now(response)


def unavailable_for_now(response):
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def answer_during_database_outage(request):
    """The `answer_during_database_outage` hook (pages/http/outage.py): a post of the contact
    form while the database cannot be reached gets the not-sent page with the visitor's text,
    not the general one. The contact page cannot be looked up, so the form is known by its
    signed token alone; a post without a good one (or with the honeypot filled) is left to the
    general page. Nothing here may query: the form is not validated (its purposes are rows)."""
    if request.method != "POST" or "form_token" not in request.POST:
        return None
    form = ContactForm(request.POST)
    if form.data.get("website") or form.token() is None:
        return None
    response = render(
        request, "pages/contact_not_stored.html", {"form": form.given_back(NOT_STORED)}
    )
    return unavailable_for_now(response)


def answer_cross_origin_refusal(request, reason):
    """The `answer_cross_origin_refusal` hook (pages/http/cross_origin.py): a contact form posted
    from another website is refused (403) with the reason and the visitor's text kept in the
    form, which they can send from here (our own page, so the post is same-origin) if it was
    theirs. The form gets a fresh token: the refused one may be missing or forged. Nothing is
    validated, stored or counted."""
    if not {"name", "email", "message"} <= set(request.POST):
        return None
    data = request.POST.copy()
    data["form_token"] = make_form_token()
    context = {"form": ContactForm(data).given_back(reason), "refused": True}
    return render(request, "pages/contact_not_stored.html", context, status=403)


def enqueue_notification(message_id):
    """Hand the email to the task backend. If even that fails, the message is stored and
    `send_pending_contact_messages` will try again."""
    try:
        send_contact_message_email.enqueue(message_id)
    except Exception:
        logger.exception("Contact form: could not queue the email for message %s.", message_id)


def _vcard_text(value):
    """Escape a value for a vCard 4.0 property (RFC 6350, 3.4)."""
    text = " ".join(str(value).split())  # no line breaks: they would start a new property
    for char in ("\\", ",", ";"):
        text = text.replace(char, "\\" + char)
    return text


@require_safe
def contact_vcard(request, pk):
    """A public contact as a vCard, for address books."""
    contact = get_object_or_404(Contact, pk=pk, is_public=True)
    org = OrganisationSettings.load(request_or_site=request)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"FN:{_vcard_text(contact.name)}",
        f"ORG:{_vcard_text(org.organisation_name)}",
        f"EMAIL;TYPE=work:{_vcard_text(contact.email)}",
    ]
    if contact.role:
        lines.append(f"TITLE:{_vcard_text(contact.role)}")
    if contact.phone:
        lines.append(
            f"TEL;TYPE=work,voice;VALUE=uri:tel:{_vcard_text(contact.phone.replace(' ', ''))}"
        )
    if org.website_url:
        lines.append(f"URL:{_vcard_text(org.website_url)}")
    lines.append("END:VCARD")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/vcard; charset=utf-8")
    filename = slugify(contact.name) or "contact"
    response["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response
