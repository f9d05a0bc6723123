from django.db import migrations

# The categories staff start with; they may rename, reorder or add to them.
CATEGORIES = [
    ("IOI work", "ioi-work", 0),
    ("Reports and research", "reports", 1),
    ("News", "news", 2),
    ("Partners", "partners", 3),
    ("Funders", "funders", 4),
    ("Social", "social", 5),
]


def add_categories(apps, schema_editor):
    LinkCategory = apps.get_model("pages", "LinkCategory")
    for name, slug, order in CATEGORIES:
        LinkCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("pages", "0005_links")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
