"""Impact highlights, step 3 of 3: language and translation key compulsory."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pages", "0021_impact_highlights_translatable_fill")]

    operations = [
        migrations.AlterField(
            model_name="impacthighlight",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="impacthighlight",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="impacthighlight", unique_together={("translation_key", "locale")}
        ),
    ]
