"""The home page's rich text and its revisions, cleaned as pages' 0024 cleans the rest."""

from django.db import migrations

from pages.fields import clean_stored_rows

# The home page's RichTextField (its introduction) when this was written.
RICH_TEXT_FEATURES = ["bold", "italic", "link"]


def forwards(apps, schema_editor):
    clean_stored_rows(apps, "home", RICH_TEXT_FEATURES)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_embed_block_video_only"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
