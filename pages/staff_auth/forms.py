import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_CODE_LENGTH = 32


class CodeForm(forms.Form):
    """One field for a code: six digits from an authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=MAX_CODE_LENGTH,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        # People copy codes with the spaces and dashes apps and print-outs put in them.
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
        if not code:
            raise forms.ValidationError(gettext("Enter a code."))
        return code

    @property
    def is_app_code(self):
        return self.cleaned_data["code"].isdigit()


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=MAX_CODE_LENGTH,
        help_text=_("After adding the account, type the 6-digit code the app shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
