"""English and Spanish, step 1 of 3 (docs/translation.md): the Spanish locale, the translatable
snippets' language and translation key (empty for now), and the organisation's wording as a
snippet of its own. The fields are filled in 0017 and made compulsory in 0018: PostgreSQL will not
change a table in the transaction that has just updated its rows."""

import uuid

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def add_languages(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0015_impact_datasets"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(add_languages, migrations.RunPython.noop),
        migrations.CreateModel(
            name="OrganisationWording",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                ("tagline", models.CharField(blank=True, help_text="One short line shown beside the name in the header.", max_length=160)),
                ("footer_text", models.TextField(blank=True, help_text="A short note at the bottom of every page, e.g. the content licence.", max_length=500)),
                ("footer_links", wagtail.fields.StreamField([('link', 4)], blank=True, block_lookup={0: ('wagtail.blocks.PageChooserBlock', (), {'help_text': 'A page on this site. Choose one of: a page, a link, or a web address.', 'required': False}), 1: ('wagtail.snippets.blocks.SnippetChooserBlock', ('pages.Link',), {'help_text': 'A link from the link library (Snippets → Links), checked for you.', 'required': False}), 2: ('wagtail.blocks.URLBlock', (), {'help_text': 'A one-off page on another site, starting with https://.', 'label': 'Web address', 'required': False, 'validators': [django.core.validators.URLValidator(schemes=['http', 'https'])]}), 3: ('wagtail.blocks.CharBlock', (), {'help_text': "The words people click. Required for a web address; for a page or a link, leave it empty to use its title. Make it make sense on its own (not 'click here').", 'max_length': 120, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('page', 0), ('link', 1), ('url', 2), ('title', 3)]], {})}, help_text='Links in the footer, e.g. the accessibility statement and privacy notice.')),
                ("locale", models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale")),
            ],
            options={
                "verbose_name": "organisation wording",
                "verbose_name_plural": "organisation wording",
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
        migrations.AddField(
            model_name="contact",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="contact",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="contactpurpose",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="contactpurpose",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="link",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="link",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="linkcategory",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="linkcategory",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="person",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AddField(
            model_name="person",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="contactpurpose",
            name="name",
            field=models.CharField(help_text="As shown to the public, e.g. 'Funding'.", max_length=80),
        ),
        migrations.AlterField(
            model_name="linkcategory",
            name="name",
            field=models.CharField(help_text="As shown to the public, e.g. 'Reports'.", max_length=60),
        ),
        migrations.AlterField(
            model_name="linkcategory",
            name="slug",
            field=models.SlugField(help_text="Used in the address of the filtered list.", max_length=60),
        ),
        migrations.AlterField(
            model_name="person",
            name="slug",
            field=models.SlugField(blank=True, help_text="The end of their profile's address, e.g. 'ana-garcia'. Leave empty to make one from the name; change it later only if you must, as links to it would break.", max_length=120),
        ),
    ]
