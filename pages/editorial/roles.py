"""The editorial roles, as data: which group may do what. docs/roles.md is the same matrix in
words, and pages/tests/test_roles.py holds the site to it.

`sync_roles` makes the groups match this module exactly (adding and removing permissions), so
it can run again at any time. It runs from a data migration, which takes the historical app
registry, and from `load_ioi_content`, which rebuilds a flushed database. A change to ROLES ships
with a new data migration that calls `sync_roles` again, so existing databases follow.

Translators hold their page permissions on each other language's home page (depth 2, not in the
default locale), which may be made after the migration ran: `grant_new_language_home` gives them
the new home as soon as it is saved, and `sync_roles` finds every such home again.
"""

from django.apps import apps as global_apps
from django.conf import settings

EDITORS = "Editors"
MODERATORS = "Moderators"
CONTACT_MANAGERS = "Contact managers"
TRANSLATORS = "Translators"

WORKFLOW_NAME = "Moderators approval"

# wagtail-localize's one permission: start a translation, and sync one with its source.
SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"

_EDITOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    SUBMIT_TRANSLATION,
    "pages.add_link",
    "pages.change_link",
    "pages.delete_link",
    "pages.add_linkcategory",
    "pages.change_linkcategory",
    # Authors of publications and news posts.
    "pages.add_person",
    "pages.change_person",
    # The catalogue's vocabularies (licences, standards, regions...), kept as data.
    "catalogue.add_term",
    "catalogue.change_term",
    # Infrastructures the public suggests: read them, accept one into a draft entry or decline
    # it (pages/catalogue/review.py). Only administrators delete one.
    "catalogue.view_suggestion",
    "catalogue.change_suggestion",
]

ROLES = {
    EDITORS: {
        "description": "Write and change pages, upload media, keep the link library; "
        "submit pages for a moderator's approval.",
        "model": _EDITOR_MODEL_PERMISSIONS,
        # On the root of the page tree, so it holds for every page on every site.
        "page": ["add_page", "change_page"],
        # On the root collection. "add" also lets a person edit and delete what they uploaded.
        "collection": ["add_image", "choose_image", "add_document", "choose_document"],
    },
    MODERATORS: {
        "description": "Everything editors do, plus approve, publish, unpublish and schedule "
        "pages, and edit the organisation settings.",
        "model": [
            *_EDITOR_MODEL_PERMISSIONS,
            "pages.delete_linkcategory",
            "pages.delete_person",
            "catalogue.delete_term",
            "pages.change_organisationsettings",
        ],
        "page": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        "collection": [
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        ],
    },
    CONTACT_MANAGERS: {
        "description": "Keep the contacts, and read, handle and export messages from the public.",
        "model": [
            "wagtailadmin.access_admin",
            "pages.add_contact",
            "pages.change_contact",
            "pages.delete_contact",
            "pages.add_contactpurpose",
            "pages.change_contactpurpose",
            "pages.delete_contactpurpose",
            "pages.view_contactmessage",
            "pages.change_contactmessage",
        ],
        "page": [],
        "collection": [],
    },
    TRANSLATORS: {
        "description": "Translate pages and snippets into the site's other languages; submit "
        "translated pages for a moderator's approval. Nothing in English.",
        "model": [
            "wagtailadmin.access_admin",
            SUBMIT_TRANSLATION,
            # Only rows in another language than the default: translations_only below, held to
            # on the server by pages/editorial/translators.py.
            "pages.change_contact",
            "pages.change_contactpurpose",
            "pages.change_link",
            "pages.change_linkcategory",
            "pages.change_person",
            "pages.change_organisationwording",
            "catalogue.change_term",
        ],
        "page": [],
        # On each other language's home page, so on every translation and nothing in English.
        "language_home": ["change_page"],
        # A translated image or document (a chart with Spanish labels) is chosen, not uploaded.
        "collection": ["choose_image", "choose_document"],
        "translations_only": True,
    },
}

# Groups whose snippet permissions hold only for rows in another language than the default.
TRANSLATIONS_ONLY_GROUPS = frozenset(
    name for name, role in ROLES.items() if role.get("translations_only")
)

# Permissions that no model declares: a migration makes them as data, so a flushed database
# (the browser tests) has lost them and sync_roles makes them again.
_DATA_PERMISSIONS = {
    SUBMIT_TRANSLATION: ("translation", "Can submit translations"),
}


def _ensure_permissions(apps):
    """Django creates model permissions after the last migration; a data migration on a new
    database runs before that, so create them now (create_permissions skips existing ones)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    if dotted in _DATA_PERMISSIONS:
        model, name = _DATA_PERMISSIONS[dotted]
        content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label=app_label, model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        return permission
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _exists_yet(apps, dotted):
    """False for a model permission whose model a later migration creates: an earlier data
    migration runs with the models of its time, and the later one that calls sync_roles again
    grants it."""
    app_label, codename = dotted.split(".")
    action, _, model_name = codename.partition("_")
    if action not in {"add", "change", "delete", "view"}:
        return True
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def _language_homes(apps):
    """The home page of each language but the default one: the top of its translated tree."""
    Page = apps.get_model("wagtailcore", "Page")
    return list(
        Page.objects.filter(depth=2)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )


def sync_roles(apps=global_apps):
    """Create or update the groups, their permissions and the site-wide moderation workflow.
    Returns the groups by name."""
    if apps is not global_apps:
        _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    language_homes = _language_homes(apps)
    groups = {}
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.set(
            [_permission(apps, dotted) for dotted in role["model"] if _exists_yet(apps, dotted)]
        )

        page_grants = {root_page: _page_permission_ids(apps, role["page"])}
        for home in language_homes:
            page_grants[home] = _page_permission_ids(apps, role.get("language_home", []))
        _grant_exactly(GroupPagePermission, group, "page", page_grants)
        _grant_exactly(
            GroupCollectionPermission,
            group,
            "collection",
            {
                root_collection: {
                    _permission(
                        apps, f"{'wagtailimages' if 'image' in c else 'wagtaildocs'}.{c}"
                    ).pk
                    for c in role["collection"]
                }
            },
        )

    _sync_workflow(apps, groups[MODERATORS], root_page)
    return groups


def _page_permission_ids(apps, codenames):
    return {_permission(apps, f"wagtailcore.{c}").pk for c in codenames}


def _grant_exactly(model, group, field, grants):
    """Leave the group with exactly these permissions on these targets (pages or collections,
    and so everything below each), and none anywhere else. `grants` maps a target to the ids of
    its permissions."""
    grants = {target: ids for target, ids in grants.items() if target is not None and ids}
    keep = model.objects.none()
    for target, permission_ids in grants.items():
        keep = keep | model.objects.filter(
            group=group, permission_id__in=permission_ids, **{field: target}
        )
    model.objects.filter(group=group).exclude(pk__in=keep.values("pk")).delete()
    for target, permission_ids in grants.items():
        for permission_id in permission_ids:
            model.objects.get_or_create(group=group, permission_id=permission_id, **{field: target})


def grant_new_language_home(sender, instance, created, raw=False, **kwargs):
    """post_save of any model: when another language's home page is made (wagtail-localize
    copies the English home the first time a page is translated), its role groups get their
    language-home permissions on it at once, without waiting for sync_roles."""
    Page = global_apps.get_model("wagtailcore", "Page")
    GroupPagePermission = global_apps.get_model("wagtailcore", "GroupPagePermission")
    if not created or raw or not isinstance(instance, Page) or instance.depth != 2:
        return
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        return
    Group = global_apps.get_model("auth", "Group")
    for name, role in ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is None:  # the roles are not made yet: sync_roles will grant it
            continue
        for permission_id in _page_permission_ids(global_apps, role.get("language_home", [])):
            GroupPagePermission.objects.get_or_create(
                group=group, permission_id=permission_id, page=instance
            )


def _sync_workflow(apps, moderators, root_page):
    """One workflow on the whole tree: a single approval step by the Moderators group."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, content_type=task_type, active=True
        )
    task.active = True
    task.save()
    task.groups.set([moderators])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    workflow.active = True
    workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.filter(workflow=workflow).delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
