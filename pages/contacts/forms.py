"""The contact form: what the public fills in. How bots are told apart from people is shared
with the catalogue's suggestion form (`pages/public_forms.py`); how a post is received is
`pages/contacts/views.py`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pages.public_forms import MIN_FILL_SECONDS, GuardedForm, honeypot_field
from pages.public_forms import make_form_token as _make_form_token
from pages.translation.locales import in_active_language

from .models import ContactPurpose

__all__ = ["MIN_FILL_SECONDS", "TOKEN_SALT", "ContactForm", "make_form_token"]

# Kept from the form's first home, so that forms shown before a release still validate after it.
TOKEN_SALT = "pages.contact_form"


def make_form_token(issued_at=None, submission_id=None):
    """A signed note of when the contact form was shown and which message it will be."""
    return _make_form_token(TOKEN_SALT, issued_at=issued_at, submission_id=submission_id)


class ContactForm(GuardedForm):
    token_salt = TOKEN_SALT
    honeypot = "website"

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
    website = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The purposes in the page's language (an untranslated one in English).
        self.fields["purpose"].queryset = in_active_language(ContactPurpose.objects.all())
