"""Editors and moderators read, accept and decline suggested infrastructures
(pages/editorial/roles.py, docs/roles.md)."""

from django.db import migrations

from pages.editorial.roles import sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_suggestion")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
