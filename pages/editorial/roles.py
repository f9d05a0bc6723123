"""The editorial roles, as data: which group may do what. docs/roles.md is the same matrix in
words, and pages/tests/test_roles.py holds the site to it.

`sync_roles` makes the groups match this module exactly (adding and removing permissions), so
it can run again at any time. It runs from a data migration, which takes the historical app
registry, and from `load_ioi_content`, which rebuilds a flushed database. A change to ROLES ships
with a new data migration that calls `sync_roles` again, so existing databases follow.
"""

from django.apps import apps as global_apps

EDITORS = "Editors"
MODERATORS = "Moderators"
CONTACT_MANAGERS = "Contact managers"

WORKFLOW_NAME = "Moderators approval"

_EDITOR_MODEL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "pages.add_link",
    "pages.change_link",
    "pages.delete_link",
    "pages.add_linkcategory",
    "pages.change_linkcategory",
    # Authors of publications and news posts.
    "pages.add_person",
    "pages.change_person",
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


def sync_roles(apps=global_apps):
    """Create or update the three groups, their permissions and the site-wide moderation
    workflow. Returns the groups by name."""
    if apps is not global_apps:
        _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.set(
            [_permission(apps, dotted) for dotted in role["model"] if _exists_yet(apps, dotted)]
        )

        _grant_exactly(
            GroupPagePermission,
            group,
            "page",
            root_page,
            {_permission(apps, f"wagtailcore.{c}").pk for c in role["page"]},
        )
        _grant_exactly(
            GroupCollectionPermission,
            group,
            "collection",
            root_collection,
            {
                _permission(apps, f"{'wagtailimages' if 'image' in c else 'wagtaildocs'}.{c}").pk
                for c in role["collection"]
            },
        )

    _sync_workflow(apps, groups[MODERATORS], root_page)
    return groups


def _grant_exactly(model, group, field, target, permission_ids):
    """Leave the group with exactly these permissions on the target (a page or collection, and
    so everything below it), and none anywhere else."""
    model.objects.filter(group=group).exclude(
        **{field: target, "permission_id__in": permission_ids}
    ).delete()
    if target is not None:
        for permission_id in permission_ids:
            model.objects.get_or_create(group=group, permission_id=permission_id, **{field: target})


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
