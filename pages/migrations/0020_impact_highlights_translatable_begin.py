"""Impact highlights are translated with their page, step 1 of 3: their language and translation
key, empty for now (filled in 0021, compulsory in 0022, as in 0016-0018)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pages", "0019_contact_message_language")]

    operations = [
        migrations.AddField(
            model_name="impacthighlight",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="impacthighlight",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
