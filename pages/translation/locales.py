"""Each language's rows of a translatable snippet (a contact, a link, a person...).

A snippet translated into Spanish has a row per language sharing a `translation_key`. A Spanish
page shows the Spanish rows, and the English row of anything not translated yet, so that an
untranslated contact or link is shown in English rather than missing. One SQL statement, with
no query for the locales themselves: they are joined by language code."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from wagtail.models import Locale, TranslatableMixin


def active_language():
    """The language of the request being answered ('en' or 'es'), the default outside one."""
    return translation.get_language() or settings.LANGUAGE_CODE


def in_active_language(queryset):
    """The queryset's rows in the active language, plus the default language's rows that have
    no translation in it."""
    language = active_language()
    default = settings.LANGUAGE_CODE
    if language == default:
        return queryset.filter(locale__language_code=default)
    translated = queryset.model._default_manager.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language
    )
    return queryset.filter(
        Q(locale__language_code=language) | Q(locale__language_code=default) & ~Exists(translated)
    )


class TranslatableSnippetMixin(TranslatableMixin):
    """Wagtail's TranslatableMixin, with the default language for a row made in code (the seed,
    a command, a test): the admin's own forms choose the language themselves."""

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def fill_locale(self):
        if self.locale_id is None:
            self.locale = Locale.get_default()

    def save(self, *args, **kwargs):
        self.fill_locale()
        super().save(*args, **kwargs)


def ensure_languages(using="default", **kwargs):
    """A post_migrate handler: every language in LANGUAGES has its Locale, after `migrate` (a
    language added to the settings) and after a database is flushed (as tests do)."""
    for code, _name in settings.LANGUAGES:
        Locale.objects.using(using).get_or_create(language_code=code)
