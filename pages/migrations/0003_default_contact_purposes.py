from django.db import migrations

# The purposes every IOI site starts with; staff may rename, reorder or add to them.
PURPOSES = [
    ("General", "Questions about IOI and its work.", 0),
    ("Partnerships and engagement", "Working with IOI, events and collaborations.", 1),
    ("Funding", "Funding open infrastructure with or through IOI.", 2),
    ("Press", "Media enquiries and interviews.", 3),
]


def add_purposes(apps, schema_editor):
    ContactPurpose = apps.get_model("pages", "ContactPurpose")
    for name, description, order in PURPOSES:
        ContactPurpose.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_contacts")]

    operations = [migrations.RunPython(add_purposes, migrations.RunPython.noop)]
