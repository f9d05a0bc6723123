"""What every form the public sends shares, so that the contact form and the catalogue's
suggestion form tell bots from people the same way: a signed note of when the form was shown
and which submission it will be (`make_form_token`), a field only bots fill (the honeypot), and
a limit on posts from one address (`flooded`). Stands on Django and django-ratelimit alone: the
contact concern and the catalogue both import it, and it imports neither.

Protection against posts from other sites is not here: both forms are posted to the page tree,
whose view refuses a post another website sent (`pages/http/cross_origin.py`, applied in
`ioisite/urls.py`) with no cookie or token, so that the forms' pages can be served from the page
cache; both forms' posts pass through one hook (`pages/wagtail_hooks.py: answer_public_forms`)."""

import time
import uuid

from django import forms
from django.core import signing
from django.forms.utils import ErrorDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import _split_rate, is_ratelimited

# A person cannot read, write and send a form this fast; most bots do.
MIN_FILL_SECONDS = 3
# A form left open longer than this is refreshed rather than trusted. (The age comes from the
# token's own timestamp: is_bot() has already refused forged tokens.)
TOKEN_MAX_AGE = 2 * 24 * 3600
# A token from a few seconds in the future is a clock between two servers, not a forgery.
MAX_CLOCK_SKEW = 60


def make_form_token(salt, issued_at=None, submission_id=None):
    """A signed note of when the form was shown and which submission it will be."""
    payload = {
        "id": str(submission_id or uuid.uuid4()),
        "t": int(issued_at if issued_at is not None else time.time()),
    }
    return signing.dumps(payload, salt=salt)


def honeypot_field():
    """Hidden from people (and screen readers); bots that fill every field give themselves away."""
    return forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class GuardedForm(forms.Form):
    """A public form with a timing token and a honeypot. A subclass names the token's salt (a
    token shown for one form is refused by another) and its honeypot field, declared with
    `honeypot_field()`; `cleaned_data["submission_id"]` is made of the id the token carries and
    what was written (`written`), so a double click or a resent post is stored once."""

    token_salt = ""
    honeypot = ""

    form_token = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = self.new_token()

    @classmethod
    def new_token(cls, **kwargs):
        return make_form_token(cls.token_salt, **kwargs)

    def token(self):
        """The token's contents, or None if it is missing, tampered with, or not of the shape
        make_form_token gives: an id that is text, and a time from the past day or so. (Only
        the secret key's holder can sign a token; even so, its contents are not trusted.)"""
        try:
            token = signing.loads(self.data.get("form_token", ""), salt=self.token_salt)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        if not isinstance(token, dict) or not isinstance(token.get("id"), str):
            return None
        issued = token.get("t")
        if type(issued) is not int or not 0 < issued < time.time() + MAX_CLOCK_SKEW:
            return None
        return token

    def given_back(self, message):
        """The form as posted, with `message` above it and nothing validated, for a page drawn
        without the database (an outage) or a post refused before reading it (another site):
        validating would query (a choice of rows) or judge what was never accepted."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        self.add_error(None, message)
        return self

    def seconds_open(self):
        return time.time() - self.token()["t"]

    def is_bot(self):
        """Honeypot filled, token forged or missing, or sent faster than a person could."""
        if self.data.get(self.honeypot):
            return True
        return self.token() is None or self.seconds_open() < MIN_FILL_SECONDS

    def clean(self):
        cleaned = super().clean()
        if self.token() is None:
            raise forms.ValidationError(gettext("Please reload the page and send the form again."))
        if self.seconds_open() > TOKEN_MAX_AGE:
            self.data = self.data.copy()
            self.data["form_token"] = self.new_token()
            raise forms.ValidationError(
                gettext(
                    "This form was open for a long time, so we could not accept it. Please "
                    "send it again: what you wrote is still here."
                )
            )
        try:
            cleaned["submission_id"] = uuid.uuid5(uuid.UUID(self.token()["id"]), self.written())
        except (KeyError, ValueError, TypeError) as error:
            raise forms.ValidationError(gettext("Please send the form again.")) from error
        return cleaned

    def written(self):
        """What the visitor wrote, as one text: every field but the token and the honeypot.

        With the token's id it makes the submission id. The pages are served from the page
        cache, so every reader of one cached copy gets the same token: the token alone cannot
        tell two readers' posts apart, and a token accepted once would refuse every reader after
        the first. What was written can: the same post sent twice (a double click, a resend
        after an error, a replay) is one submission and is stored once; a different post with
        the same token is another reader's, stored as such, and counted by the rate limit like
        any other post."""
        values = []
        for name in self.fields:
            if name in ("form_token", self.honeypot):
                continue
            value = self.cleaned_data.get(name)
            values.append("" if value is None else str(getattr(value, "pk", value)))
        return "\0".join(values)


def flooded(request, group, rate):
    """Whether this post is one too many from its address for `group` at `rate` (e.g. "5/10m"),
    counting it. A cache that cannot be reached lets posts through (RATELIMIT_FAIL_OPEN)."""
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def retry_after(rate):
    """The seconds of the rate's window: how long a visitor held back should wait."""
    return _split_rate(rate)[1]
