"""English and Spanish, step 3 of 3: a snippet's language and translation key are compulsory, and
its name or address is unique within its language; the settings lose the wording moved out."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pages", "0017_translations_fill")]

    operations = [
        migrations.AlterField(
            model_name="contact",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="contact",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="contact", unique_together={("translation_key", "locale")}),
        migrations.AlterField(
            model_name="contactpurpose",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="contactpurpose",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="contactpurpose", unique_together={("translation_key", "locale")}),
        migrations.AlterField(
            model_name="link",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="link",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="link", unique_together={("translation_key", "locale")}),
        migrations.AlterField(
            model_name="linkcategory",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="linkcategory",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="linkcategory", unique_together={("translation_key", "locale")}),
        migrations.AlterField(
            model_name="person",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(
            model_name="person",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="person", unique_together={("translation_key", "locale")}),
        migrations.AddConstraint(
            model_name="contactpurpose",
            constraint=models.UniqueConstraint(fields=("name", "locale"), name="contact_purpose_name_unique_per_language"),
        ),
        migrations.AddConstraint(
            model_name="linkcategory",
            constraint=models.UniqueConstraint(fields=("name", "locale"), name="link_category_name_unique_per_language"),
        ),
        migrations.AddConstraint(
            model_name="linkcategory",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="link_category_slug_unique_per_language"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="person_slug_unique_per_language"),
        ),
        migrations.RemoveField(model_name="organisationsettings", name="footer_links"),
        migrations.RemoveField(model_name="organisationsettings", name="footer_text"),
        migrations.RemoveField(model_name="organisationsettings", name="tagline"),
    ]
