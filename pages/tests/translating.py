"""Small builders for tests of translation: a Spanish translation made as wagtail-localize's
"Translate" action makes it, and its strings filled in as a translator would."""

from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import translate_object


def spanish():
    # The migration makes it; a transactional test's flush has emptied the table.
    return Locale.objects.get_or_create(language_code="es")[0]


def translate(instance, user=None):
    """Submit an English page or snippet for translation into Spanish (a draft, for a page);
    returns the Translation."""
    es = spanish()
    translate_object(instance, [es], user=user)
    return Translation.objects.get(source__object_id=instance.translation_key, target_locale=es)


def fill_strings(translation, words):
    """Enter Spanish words for source strings: `words` maps the English to the Spanish; every
    string not named keeps no translation."""
    for segment in translation.source.stringsegment_set.select_related("string", "context"):
        if segment.string.data in words:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=translation.target_locale,
                context=segment.context,
                defaults={"data": words[segment.string.data]},
            )
