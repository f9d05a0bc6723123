"""The catalogue's suggestion form, wherever a template shows it."""

from django import template

from pages.catalogue.forms import SuggestionForm

register = template.Library()


@register.inclusion_tag("catalogue/suggestion_form.html", takes_context=True)
def suggestion_form(context):
    """A blank form, or the one just posted (`form` in the context) with its errors, or held
    back with the reason (`held_back`: the rate limit, a write the database refused)."""
    return {
        "form": context.get("form") or SuggestionForm(),
        "held_back": context.get("held_back"),
        "page": context.get("page"),
        "settings": context.get("settings"),
        "action": context.get("suggest_url"),
    }
