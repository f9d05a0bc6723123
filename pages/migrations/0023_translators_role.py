"""The Translators group: Spanish translations and nothing in English (pages/editorial/roles.py,
docs/roles.md). Editors and moderators may now start and sync translations. The groups follow
roles.py again."""

from django.db import migrations

from pages.editorial.roles import sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0022_impact_highlights_translatable_finish"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
