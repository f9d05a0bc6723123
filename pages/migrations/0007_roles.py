"""The Editors, Moderators and Contact managers groups and the site-wide moderation workflow,
as pages/roles.py defines them. Wagtail's own migrations create an "Editors" and a "Moderators"
group and a "Moderators approval" workflow; this one takes them over rather than adding twins."""

from django.db import migrations

from pages.editorial.roles import sync_roles


def forwards(apps, schema_editor):
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0006_default_link_categories"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
