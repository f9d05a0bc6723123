"""The form the public suggests an infrastructure with (/catalogue/suggest/). Bots are told
apart from people as on the contact form (`pages/public_forms.py`); how a post is received is
`pages/catalogue/views.py`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pages.fields import WebURLFormField
from pages.public_forms import GuardedForm, honeypot_field
from pages.translation.locales import in_active_language

from .models.entries import Term
from .models.suggestions import Suggestion

TOKEN_SALT = "pages.catalogue.suggestion_form"


def make_suggestion_token(issued_at=None, submission_id=None):
    return SuggestionForm.new_token(issued_at=issued_at, submission_id=submission_id)


def _limit(field):
    return Suggestion._meta.get_field(field).max_length


class SuggestionForm(GuardedForm):
    token_salt = TOKEN_SALT
    # "website" is a real field here: the trap has a name of its own.
    honeypot = "homepage"

    name = forms.CharField(
        label=_("Name of the infrastructure"),
        max_length=_limit("name"),
        help_text=_("As its users know it, e.g. 'Open Journal Systems'."),
    )
    website = WebURLFormField(
        label=_("Its website"),
        max_length=_limit("website"),
        assume_scheme="https",
        help_text=_("The address of its home page, starting with https://"),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    provider = forms.CharField(
        label=_("Who provides it"),
        max_length=_limit("provider"),
        required=False,
        help_text=_("The organisation behind it, if you know."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    category = forms.ModelChoiceField(
        label=_("What kind of infrastructure is it?"),
        queryset=Term.objects.filter(vocabulary="category"),
        required=False,
        empty_label=_("I am not sure"),
    )
    description = forms.CharField(
        label=_("What it does"),
        max_length=_limit("description"),
        help_text=_("A few sentences, up to 1,000 characters."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We only use it to write to you about this suggestion."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent_to_contact = forms.BooleanField(
        label=_("IOI may write to me about this suggestion"),
        help_text=_("We need it to ask you questions before the infrastructure is listed."),
    )
    homepage = honeypot_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The categories in the page's language (an untranslated one in English).
        self.fields["category"].queryset = in_active_language(
            Term.objects.filter(vocabulary="category")
        ).order_by("sort_order", "name")
        # The name alone: every choice here is a category.
        self.fields["category"].label_from_instance = lambda term: term.name
