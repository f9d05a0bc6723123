"""The contact form, wherever a template shows it."""

from django import template
from django.conf import settings as django_settings

from pages.contacts.forms import ContactForm

register = template.Library()


@register.inclusion_tag("components/contact_form.html", takes_context=True)
def contact_form(context):
    """A blank form, or the one just posted with its errors (`form` in the context), and
    whether it is back because the message could not be stored (`not_stored`)."""
    return {
        "form": context.get("form") or ContactForm(),
        "not_stored": context.get("not_stored", False),
        "page": context.get("page"),
        "settings": context.get("settings"),
        "retention_days": django_settings.CONTACT_MESSAGE_RETENTION_DAYS,
    }
