"""Editors add and change people (the authors of publications and posts); moderators may also
delete them. The groups follow pages/editorial/roles.py again."""

from django.db import migrations

from pages.editorial.roles import sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("pages", "0013_research_news_people")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
