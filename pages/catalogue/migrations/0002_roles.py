"""The roles may keep the catalogue's vocabularies (pages/editorial/roles.py, docs/roles.md)."""

from django.db import migrations

from pages.editorial.roles import sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("pages", "0024_clean_stored_rich_text"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
