"""Rich text written before the fields cleaned it (by the shell, a fixture, an importer, or data
from before): every page's rich text and every revision of it, cleaned to the editor's
allow-list (pages/fields.py: clean_rich_text). Rows that are clean already are not written."""

from django.db import migrations

from pages.fields import clean_stored_rows

# Every RichTextField of the app when this was written: the introductions.
RICH_TEXT_FEATURES = ["bold", "italic", "link"]


def forwards(apps, schema_editor):
    clean_stored_rows(apps, "pages", RICH_TEXT_FEATURES)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0023_translators_role"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
