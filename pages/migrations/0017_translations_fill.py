"""English and Spanish, step 2 of 3: every snippet so far is in English, each its own translation
key; the organisation's tagline and footer move from the settings to the English wording."""

import uuid

from django.conf import settings
from django.db import migrations

SNIPPETS = ["Contact", "ContactPurpose", "Link", "LinkCategory", "Person"]


def to_default_language(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    for name in SNIPPETS:
        model = apps.get_model("pages", name)
        for pk in model.objects.filter(translation_key__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(locale=english, translation_key=uuid.uuid4())
    Settings = apps.get_model("pages", "OrganisationSettings")
    Wording = apps.get_model("pages", "OrganisationWording")
    org = Settings.objects.first()
    if org is not None and not Wording.objects.exists():
        Wording.objects.create(
            locale=english,
            tagline=org.tagline,
            footer_text=org.footer_text,
            footer_links=org.footer_links.raw_data,
        )


def to_settings(apps, schema_editor):
    Settings = apps.get_model("pages", "OrganisationSettings")
    Wording = apps.get_model("pages", "OrganisationWording")
    english = Wording.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if english is not None:
        Settings.objects.update(
            tagline=english.tagline,
            footer_text=english.footer_text,
        )
        for org in Settings.objects.all():
            org.footer_links = english.footer_links.raw_data
            org.save(update_fields=["footer_links"])


class Migration(migrations.Migration):
    dependencies = [("pages", "0016_translations_begin")]

    operations = [migrations.RunPython(to_default_language, to_settings)]
