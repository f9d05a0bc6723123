"""Impact highlights, step 2 of 3: each in its page's language, its own translation key."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Highlight = apps.get_model("pages", "ImpactHighlight")
    for pk, locale_id in Highlight.objects.filter(translation_key__isnull=True).values_list(
        "pk", "page__locale_id"
    ):
        Highlight.objects.filter(pk=pk).update(locale_id=locale_id, translation_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("pages", "0020_impact_highlights_translatable_begin")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
