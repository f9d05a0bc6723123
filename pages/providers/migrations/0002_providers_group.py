from django.db import migrations


def make_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Django makes model permissions after the last migration; make them now.
    app_config = apps.get_app_config("providers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    from pages.providers.grants import sync_providers_group

    sync_providers_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(make_group, migrations.RunPython.noop)]
