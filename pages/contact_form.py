"""The contact form: what the public fills in, how bots are told apart, and how a message is
received. The order of `receive_message` is the promise: count the post, drop bots, validate,
store, and only then try to email anyone."""

import logging
import time
import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from .models import Contact, ContactMessage, ContactPurpose

logger = logging.getLogger(__name__)

TOKEN_SALT = "pages.contact_form"
# A person cannot read, write and send a message this fast; most bots do.
MIN_FILL_SECONDS = 3
# A form left open longer than this is refreshed rather than trusted. (The age comes from the
# token's own timestamp: is_bot() has already refused forged tokens.)
TOKEN_MAX_AGE = 2 * 24 * 3600


def make_form_token(issued_at=None, submission_id=None):
    """A signed note of when the form was shown and which submission it will be."""
    payload = {
        "id": str(submission_id or uuid.uuid4()),
        "t": int(issued_at if issued_at is not None else time.time()),
    }
    return signing.dumps(payload, salt=TOKEN_SALT)


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We only use it to reply to you.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    purpose = forms.ModelChoiceField(
        label="What is it about?",
        queryset=ContactPurpose.objects.all(),
        required=False,
        empty_label="Something else",
        help_text="So that the right person answers.",
    )
    message = forms.CharField(
        label="Your message",
        max_length=5000,
        help_text="Up to 5,000 characters.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Hidden from people (and screen readers); bots that fill every field give themselves away.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = make_form_token()

    def token(self):
        """The token's contents, or None if it is missing or tampered with."""
        try:
            token = signing.loads(self.data.get("form_token", ""), salt=TOKEN_SALT)
        except (signing.BadSignature, TypeError):
            return None
        return token if isinstance(token, dict) and isinstance(token.get("t"), int) else None

    def seconds_open(self):
        return time.time() - self.token()["t"]

    def is_bot(self):
        """Honeypot filled, token forged or missing, or sent faster than a person could."""
        if self.data.get("website"):
            return True
        return self.token() is None or self.seconds_open() < MIN_FILL_SECONDS

    def clean(self):
        cleaned = super().clean()
        if self.token() is None:
            raise forms.ValidationError("Please reload the page and send the form again.")
        if self.seconds_open() > TOKEN_MAX_AGE:
            self.data = self.data.copy()
            self.data["form_token"] = make_form_token()
            raise forms.ValidationError(
                "This form was open for a long time, so we could not accept it. Please send "
                "it again: what you wrote is still here."
            )
        try:
            cleaned["submission_id"] = uuid.UUID(self.token()["id"])
        except (KeyError, ValueError, TypeError) as error:
            raise forms.ValidationError("Please send the form again.") from error
        return cleaned


def receive_message(page, request):
    """Handle a post to the contact page. Returns the response to send."""
    if is_ratelimited(
        request,
        group="contact-form",
        key="ip",
        rate=settings.CONTACT_FORM_RATE,
        method="POST",
        increment=True,
    ):
        return render(request, "429.html", {"page": page}, status=429)

    form = ContactForm(request.POST)
    thanks = HttpResponseRedirect(page.url + page.reverse_subpage("thanks"), status=303)
    if form.is_bot():
        logger.info("Contact form: dropped a post that looked automated.")
        return thanks
    if not form.is_valid():
        return page.render(request, context_overrides={"form": form})

    data = form.cleaned_data
    purpose = data["purpose"]
    contact = Contact.for_purpose(purpose)
    try:
        with transaction.atomic():
            message = ContactMessage.objects.create(
                submission_id=data["submission_id"],
                name=data["name"],
                email=data["email"],
                purpose=purpose,
                purpose_name=purpose.name if purpose else "",
                message=data["message"],
                routed_to=contact,
                routed_to_email=contact.email if contact else "",
            )
    except IntegrityError:
        # The same form sent twice (a double click, a resent request): stored once already.
        return thanks

    transaction.on_commit(lambda: enqueue_notification(message.pk))
    return thanks


def enqueue_notification(message_id):
    """Hand the email to the task backend. If even that fails, the message is stored and
    `send_pending_contact_messages` will try again."""
    from .tasks import send_contact_message_email

    try:
        send_contact_message_email.enqueue(message_id)
    except Exception:
        logger.exception("Contact form: could not queue the email for message %s.", message_id)
