"""DOIs and ORCID iDs as model fields: what an editor pastes (a full https://doi.org/ or
https://orcid.org/ address, a `doi:` prefix, spaces) is kept in the identifier's plain form, and
anything that cannot be one is refused with a message that says what one looks like."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# 10.<registrant>/<suffix>: the registrant a number (with optional .subdivisions), the suffix any
# visible characters but those that would close a BibTeX value or a quoted attribute.
DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[^\s{}\"\\<>]+$")
ORCID_PREFIXES = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def normalise_doi(value):
    return DOI_PREFIXES.sub("", (value or "").strip()).strip()


def validate_doi(value):
    if not DOI.match(value):
        raise ValidationError(
            "A DOI looks like 10.1234/abc-56: '10.', the registrant's number, a slash, then the "
            "suffix, with no spaces.",
            code="invalid_doi",
        )


def orcid_check_digit(digits):
    """ISO 7064 MOD 11-2 over the first 15 digits, as ORCID computes it."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value):
    return ORCID_PREFIXES.sub("", (value or "").strip()).strip().upper()


def validate_orcid(value):
    if not ORCID.match(value):
        raise ValidationError(
            "An ORCID iD is 16 characters in four groups, like 0000-0002-1825-0097.",
            code="invalid_orcid",
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD's last character does not match the others: check it for a typing "
            "mistake.",
            code="orcid_check_digit",
        )


# What an editor may paste, address and all; the plain form must still fit the column.
PASTED_MAX_LENGTH = 300


class NormalisedFormField(forms.CharField):
    def __init__(self, *, normalise, **kwargs):
        self.normalise = normalise
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if value else value


class NormalisedCharField(models.CharField):
    """Normalised before it is validated, in the admin's form and in the model, so that a pasted
    address is accepted and stored in the plain form."""

    normalise = staticmethod(lambda value: value)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "form_class": NormalisedFormField,
                "normalise": self.normalise,
                "max_length": PASTED_MAX_LENGTH,
                **kwargs,
            }
        )


class DOIField(NormalisedCharField):
    default_validators = [validate_doi]
    normalise = staticmethod(normalise_doi)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class ORCIDField(NormalisedCharField):
    default_validators = [validate_orcid]
    normalise = staticmethod(normalise_orcid)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 19)
        super().__init__(*args, **kwargs)
