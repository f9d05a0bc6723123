"""Web addresses a reader's browser should follow: http and https only, never javascript:, data:,
file:, ftp: or mailto:. Every link field on the site (models, forms and blocks) uses these."""

from django import forms
from django.core.validators import URLValidator
from django.db import models

web_url_validator = URLValidator(schemes=["http", "https"])


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]


class WebURLField(models.URLField):
    """A URLField for http and https only, in the model and in its admin form."""

    default_validators = [web_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebURLFormField, **kwargs})
