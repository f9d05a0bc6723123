"""The contact form, wherever a template shows it."""

from django import template
from django.conf import settings as django_settings

from pages.contacts.forms import ContactForm

register = template.Library()


@register.inclusion_tag("components/contact_form.html", takes_context=True)
def contact_form(context):
    """A blank form, or the one just posted with its errors (`form` in the context), and
    whether it is back because the message could not be stored (`not_stored`). A blank form's
    fields are the same for every reader of the page in a language: they are kept per cache
    generation (`kept_as`, for {% fragment %}); its signed token is made for each request."""
    form = context.get("form") or ContactForm()
    page = context.get("page")
    return {
        "form": form,
        "kept_as": None if form.is_bound or page is None else page.pk,
        "request": context.get("request"),
        "not_stored": context.get("not_stored", False),
        "page": page,
        "settings": context.get("settings"),
        "retention_days": django_settings.CONTACT_MESSAGE_RETENTION_DAYS,
    }
