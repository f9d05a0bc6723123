"""The contact form: what the public fills in, and how bots are told apart from people. How a
post is received is `pages/contacts/views.py`."""

import time
import uuid

from django import forms
from django.core import signing
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pages.translation.locales import in_active_language

from .models import ContactPurpose

# Kept from the form's first home, so that forms shown before a release still validate after it.
TOKEN_SALT = "pages.contact_form"
# A person cannot read, write and send a message this fast; most bots do.
MIN_FILL_SECONDS = 3
# A form left open longer than this is refreshed rather than trusted. (The age comes from the
# token's own timestamp: is_bot() has already refused forged tokens.)
TOKEN_MAX_AGE = 2 * 24 * 3600
# A token from a few seconds in the future is a clock between two servers, not a forgery.
MAX_CLOCK_SKEW = 60


def make_form_token(issued_at=None, submission_id=None):
    """A signed note of when the form was shown and which submission it will be."""
    payload = {
        "id": str(submission_id or uuid.uuid4()),
        "t": int(issued_at if issued_at is not None else time.time()),
    }
    return signing.dumps(payload, salt=TOKEN_SALT)


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We only use it to reply to you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    purpose = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=ContactPurpose.objects.all(),
        required=False,
        empty_label=_("Something else"),
        help_text=_("So that the right person answers."),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        help_text=_("Up to 5,000 characters."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Hidden from people (and screen readers); bots that fill every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The purposes in the page's language (an untranslated one in English).
        self.fields["purpose"].queryset = in_active_language(ContactPurpose.objects.all())
        if not self.is_bound:
            self.initial["form_token"] = make_form_token()

    def token(self):
        """The token's contents, or None if it is missing, tampered with, or not of the shape
        make_form_token gives: an id that is text, and a time from the past day or so. (Only
        the secret key's holder can sign a token; even so, its contents are not trusted.)"""
        try:
            token = signing.loads(self.data.get("form_token", ""), salt=TOKEN_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        if not isinstance(token, dict) or not isinstance(token.get("id"), str):
            return None
        issued = token.get("t")
        if type(issued) is not int or not 0 < issued < time.time() + MAX_CLOCK_SKEW:
            return None
        return token

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
            raise forms.ValidationError(gettext("Please reload the page and send the form again."))
        if self.seconds_open() > TOKEN_MAX_AGE:
            self.data = self.data.copy()
            self.data["form_token"] = make_form_token()
            raise forms.ValidationError(
                gettext(
                    "This form was open for a long time, so we could not accept it. Please "
                    "send it again: what you wrote is still here."
                )
            )
        try:
            cleaned["submission_id"] = submission_id(self.token(), cleaned)
        except (KeyError, ValueError, TypeError) as error:
            raise forms.ValidationError(gettext("Please send the form again.")) from error
        return cleaned


def submission_id(token, cleaned):
    """Which submission a valid post is: the token's id and what was written, together.

    The contact page is served from the page cache, so every reader of one cached copy gets the
    same token: the token alone cannot tell two readers' messages apart, and a token accepted
    once would refuse every reader after the first. What was written can: the same post sent
    twice (a double click, a resend after an error, a replay) is one submission and is stored
    once; a different message with the same token is another submission (another reader of the
    same copy), stored as such, and counted by the rate limit like any other post."""
    purpose = cleaned.get("purpose")
    written = "\0".join(
        [
            cleaned.get("name", ""),
            cleaned.get("email", ""),
            str(purpose.pk if purpose else ""),
            cleaned.get("message", ""),
        ]
    )
    return uuid.uuid5(uuid.UUID(token["id"]), written)
