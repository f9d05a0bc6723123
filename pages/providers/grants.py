"""What a provider may do, as Wagtail permissions: the shared "Providers" group gives admin
access and marks the account as a provider's (`providers.keep_own_entries`); a group of their
own holds "edit" (Wagtail's `change_page`, never `publish_page`) on each of their entries, so
Wagtail's own checks give them their entries and nothing else, and the site-wide moderation
workflow (pages/editorial/roles.py) takes every change they submit. docs/roles.md#providers."""

from django.apps import apps as global_apps
from django.db import transaction

PROVIDERS = "Providers"
KEEP_OWN_ENTRIES = "providers.keep_own_entries"
SHARED_PERMISSIONS = ["wagtailadmin.access_admin", KEEP_OWN_ENTRIES]


def sync_providers_group(apps=global_apps):
    """The shared group with exactly its permissions; run from the data migration."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PROVIDERS)
    permissions = []
    for dotted in SHARED_PERMISSIONS:
        app_label, codename = dotted.split(".")
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    group.permissions.set(permissions)
    return group


def is_provider(user):
    """A provider's account: in the Providers group (through its permission) and nothing more
    powerful. A superuser holds every permission, and is never one."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.has_perm(KEEP_OWN_ENTRIES)
    )


@transaction.atomic
def make_provider(user, name, language):
    from django.contrib.auth.models import Group

    from .models import Provider

    shared = Group.objects.filter(name=PROVIDERS).first() or sync_providers_group()
    own = Group.objects.create(name=f"Provider {user.pk}: {name}"[:150])
    provider = Provider.objects.create(user=user, name=name, language=language, group=own)
    user.groups.add(shared, own)
    return provider


@transaction.atomic
def grant_entries(provider, entries):
    """Let the provider edit these entries (and submit them for moderation), as well as theirs."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    for entry in entries:
        provider.entries.add(entry)
        GroupPagePermission.objects.get_or_create(
            group=provider.group, page_id=entry.pk, permission=change
        )


def own_entry_ids(user):
    """The ids of the pages this provider may edit: those their own group holds."""
    from wagtail.models import GroupPagePermission

    return set(
        GroupPagePermission.objects.filter(
            group__provider__user=user, permission__codename="change_page"
        ).values_list("page_id", flat=True)
    )
