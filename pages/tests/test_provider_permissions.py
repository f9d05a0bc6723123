"""A provider edits their own entry and nothing else: every admin address they could try on
another provider's entry, and on pages, snippets, settings, messages, users, reports and the
APIs in general, answers 403 or 404 and leaves the database as it was. On their own entry they
edit, preview and submit for moderation, and cannot publish. One module world, each case in a
savepoint of it (conftest.module_transaction)."""

import re
import uuid
from types import SimpleNamespace

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Page, Revision, TaskState
from wagtail.snippets.models import get_snippet_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from conftest import (
    add_page,
    build_home,
    create_user,
    fill_organisation,
    make_contacts,
    module_transaction,
    role_groups,
)
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage
from pages.contacts.models import ContactMessage
from pages.links.models import Link, LinkCategory
from pages.people.models import Person
from pages.providers.access import ANYWHERE, ANYWHERE_NAMESPACES, NEVER
from pages.tests.cataloguing import add_entries, make_terms
from pages.tests.providing import make_provider_account
from pages.tests.test_roles import fingerprint

MARKER = "Changed by a provider"


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        groups = role_groups()
        make_contacts(fill_organisation())
        home = build_home()
        index = add_page(home, CatalogueIndexPage, title="Catalogue", slug="catalogue")
        own, other, draft = add_entries(index, make_terms(), 3)
        draft.unpublish()
        ana = make_provider_account("Ana", "ana@example.org", [own])
        ben = make_provider_account("Ben", "ben@example.org", [other, draft])
        # Ben's entry: two revisions, then a change submitted for moderation.
        other.summary = "Ben's first words."
        first = other.save_revision(user=ben.user)
        other.summary = "Ben's second words."
        second = other.save_revision(user=ben.user)
        workflow_state = other.get_workflow().start(other, ben.user)
        category = LinkCategory.objects.create(name="Reading", slug="reading")
        Link.objects.create(title="A report", url="https://example.org/r", category=category)
        Person.objects.create(given_names="Guest", family_name="Writer")
        message = ContactMessage.objects.create(
            name="Sam", email="sam@example.org", message="A question about membership."
        )
        create_user("moderator", groups=groups)
        UserProfile.get_for_user(ana.user)
        yield SimpleNamespace(
            home=home,
            index=index,
            own=own,
            other=other,
            draft=draft,
            ana=ana,
            ben=ben,
            revisions=(first, second),
            task_state=workflow_state.current_task_state,
            message=message,
        )


@pytest.fixture
def world(module_world, db, client):
    client.force_login(module_world.ana.user)
    return SimpleNamespace(**vars(module_world), client=client)


def entry_form(entry, **fields):
    return nested_form_data(
        {
            "title": entry.title,
            "slug": entry.slug,
            "summary": MARKER,
            "policies": inline_formset([]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def named_attempts(w):
    """What a provider could try, with real ids: (label, method, path, data)."""
    other, draft = w.other, w.draft
    first, second = w.revisions
    task = w.task_state
    attempts = [
        ("explorer", "get", "/admin/pages/", None),
        ("explorer of the catalogue", "get", f"/admin/pages/{w.index.pk}/", None),
        ("page search", "get", "/admin/pages/search/?q=Entry", None),
        ("edit", "get", f"/admin/pages/{other.pk}/edit/", None),
        ("save a draft", "post", f"/admin/pages/{other.pk}/edit/", entry_form(other)),
        (
            "submit",
            "post",
            f"/admin/pages/{other.pk}/edit/",
            entry_form(other, **{"action-submit": 1}),
        ),
        (
            "publish",
            "post",
            f"/admin/pages/{other.pk}/edit/",
            entry_form(other, **{"action-publish": 1}),
        ),
        ("edit a draft entry", "post", f"/admin/pages/{draft.pk}/edit/", entry_form(draft)),
        ("history", "get", f"/admin/pages/{other.pk}/history/", None),
        ("preview", "post", f"/admin/pages/{other.pk}/edit/preview/", entry_form(other)),
        ("preview", "get", f"/admin/pages/{other.pk}/edit/preview/", None),
        ("view draft", "get", f"/admin/pages/{other.pk}/view_draft/", None),
        ("revisions", "get", f"/admin/pages/{other.pk}/revisions/", None),
        ("revision", "get", f"/admin/pages/{other.pk}/revisions/{first.pk}/view/", None),
        (
            "compare",
            "get",
            f"/admin/pages/{other.pk}/revisions/compare/{first.pk}...{second.pk}/",
            None,
        ),
        ("revert", "get", f"/admin/pages/{other.pk}/revisions/{first.pk}/revert/", None),
        ("unpublish", "post", f"/admin/pages/{other.pk}/unpublish/", {}),
        ("delete", "post", f"/admin/pages/{other.pk}/delete/", {}),
        ("delete a draft", "post", f"/admin/pages/{draft.pk}/delete/", {}),
        ("delete their own", "post", f"/admin/pages/{w.own.pk}/delete/", {}),
        ("move", "post", f"/admin/pages/{other.pk}/move/{w.home.pk}/confirm/", {}),
        ("move their own", "post", f"/admin/pages/{w.own.pk}/move/{w.home.pk}/confirm/", {}),
        (
            "copy",
            "post",
            f"/admin/pages/{other.pk}/copy/",
            {"new_title": "Copy", "new_slug": "copy", "new_parent_page": w.index.pk},
        ),
        (
            "copy their own",
            "post",
            f"/admin/pages/{w.own.pk}/copy/",
            {"new_title": "Copy", "new_slug": "copy", "new_parent_page": w.index.pk},
        ),
        (
            "add an entry",
            "post",
            f"/admin/pages/add/catalogue/catalogueentrypage/{w.index.pk}/",
            entry_form(CatalogueEntryPage(title="New", slug="new")),
        ),
        ("lock", "post", f"/admin/pages/{other.pk}/lock/", {}),
        ("lock their own", "post", f"/admin/pages/{w.own.pk}/lock/", {}),
        ("privacy", "post", f"/admin/pages/{other.pk}/privacy/", {"restriction_type": "login"}),
        (
            "approve",
            "post",
            f"/admin/pages/workflow/action/{other.pk}/approve/{task.pk}/",
            {"comment": "ok"},
        ),
        (
            "request changes",
            "post",
            f"/admin/pages/workflow/action/{other.pk}/reject/{task.pk}/",
            {"comment": "no"},
        ),
        ("workflow history", "get", f"/admin/pages/{other.pk}/workflow_history/", None),
        ("usage", "get", f"/admin/pages/{other.pk}/usage/", None),
        ("settings", "get", "/admin/settings/", None),
        ("users", "get", "/admin/users/", None),
        ("add a user", "post", "/admin/users/add/", {"username": "x", "email": "x@e.org"}),
        ("groups", "get", "/admin/groups/", None),
        ("workflows", "get", "/admin/workflows/list/", None),
        ("reports", "get", "/admin/reports/site-history/", None),
        ("link health", "get", reverse("link_health_report"), None),
        ("images", "get", "/admin/images/", None),
        ("documents", "get", "/admin/documents/", None),
        ("invitations", "get", reverse("provider_invitations:index"), None),
        (
            "invite oneself to more",
            "post",
            reverse("provider_invitations:add"),
            {"name": "A", "email": "a@e.org", "language": "en", "entries": [other.pk]},
        ),
        ("admin API: pages", "get", "/admin/api/main/pages/", None),
        ("admin API: a draft", "get", f"/admin/api/main/pages/{draft.pk}/", None),
        ("page chooser", "get", "/admin/choose-page/", None),
        ("bulk delete", "post", f"/admin/bulk/wagtailcore/page/delete/?id={other.pk}", {}),
    ]
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        instance = model.objects.order_by("pk").first()
        label = model._meta.label
        attempts.append((f"{label} list", "get", reverse(viewset.get_url_name("list")), None))
        attempts.append((f"{label} add", "post", reverse(viewset.get_url_name("add")), {}))
        if instance is not None:
            edit = reverse(viewset.get_url_name("edit"), args=[instance.pk])
            attempts.append((f"{label} edit", "get", edit, None))
            attempts.append((f"{label} save", "post", edit, {"name": MARKER, "title": MARKER}))
            delete = reverse(viewset.get_url_name("delete"), args=[instance.pk])
            attempts.append((f"{label} delete", "post", delete, {}))
    for model in settings_registry:
        url = reverse("wagtailsettings:edit", args=[model._meta.app_label, model._meta.model_name])
        attempts.append((f"{model._meta.label} settings", "get", url, None))
        attempts.append((f"{model._meta.label} settings", "post", url, {}))
    return attempts


NAMED = [
    "explorer", "explorer of the catalogue", "page search", "edit", "save a draft", "submit",
    "publish", "edit a draft entry", "history", "preview", "view draft", "revisions", "revision",
    "compare", "revert", "unpublish", "delete", "delete a draft", "delete their own", "move",
    "move their own", "copy", "copy their own", "add an entry", "lock", "lock their own",
    "privacy", "approve", "request changes", "workflow history", "usage", "settings", "users",
    "add a user", "groups", "workflows", "reports", "link health", "images", "documents",
    "invitations", "invite oneself to more", "admin API: pages", "admin API: a draft",
    "page chooser", "bulk delete",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("label", NAMED)
def test_a_provider_is_refused_everything_but_their_own_entry(world, label):
    attempts = [a for a in named_attempts(world) if a[0] == label]
    assert attempts, label
    before = fingerprint()
    for _, method, path, data in attempts:
        response = (
            getattr(world.client, method)(path, data)
            if data is not None
            else getattr(world.client, method)(path)
        )
        assert response.status_code == 403, (label, path, response.status_code)
    assert fingerprint() == before, f"{label}: a refused attempt changed the database"


@pytest.mark.django_db
def test_a_provider_reaches_no_snippet_and_no_setting(world):
    attempts = [a for a in named_attempts(world) if a[0] not in NAMED]
    labels = {a[0] for a in attempts}
    assert {"pages.ContactMessage list", "catalogue.Term edit", "pages.Person delete"} <= labels
    assert "pages.OrganisationSettings settings" in labels
    before = fingerprint()
    for label, method, path, data in attempts:
        response = (
            getattr(world.client, method)(path, data)
            if data is not None
            else getattr(world.client, method)(path)
        )
        assert response.status_code == 403, (label, path, response.status_code)
    assert fingerprint() == before


def every_admin_path(page_id):
    """Every admin URL pattern, its numbers filled with `page_id`."""
    found = []

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            parts = [*prefix, str(pattern.pattern)]
            if isinstance(pattern, URLResolver):
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, parts, inner)
            elif parts[0] == "admin/":
                name = ":".join([*namespaces, pattern.name]) if pattern.name else None
                found.append(
                    (namespaces[-1] if namespaces else None, name, concrete(parts, page_id))
                )

    walk(get_resolver().url_patterns, [], [])
    return found


def concrete(parts, number):
    path = ""
    for part in parts:
        part = re.sub(r"<int:\w+>", str(number), part)
        part = re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), part)
        part = re.sub(r"<(?:\w+:)?\w+>", "x", part)
        part = re.sub(r"\(\?P<\w+>[^)]*\)", str(number), part)
        part = part.replace("^", "").replace("$", "").replace("\\.", ".").replace(".*", "x")
        path += part
    return "/" + path


@pytest.mark.slow
@pytest.mark.django_db
def test_every_admin_address_about_another_entry_is_refused(world):
    """Wagtail's whole admin (its API and previews among it), each number in the address that
    of Ben's entry, by GET and POST: 403, but for the addresses about no page that a provider
    needs (the dashboard, their account, their second factor)."""
    paths = every_admin_path(world.other.pk)
    assert len(paths) > 250
    before = fingerprint()
    checked = 0
    for namespace, name, path in paths:
        needed = name in ANYWHERE or namespace in ANYWHERE_NAMESPACES
        if needed and name not in NEVER:
            continue
        for method in (world.client.get, world.client.post):
            response = method(path)
            assert response.status_code == 403, (name, path, response.status_code)
        checked += 1
    assert checked > 240
    assert fingerprint() == before


@pytest.mark.django_db
def test_the_public_api_gives_a_provider_only_what_it_gives_anyone(world):
    assert world.client.get(f"/api/v2/pages/{world.draft.pk}/").status_code == 404
    assert world.client.get(f"/api/v2/pages/{world.other.pk}/").status_code == 200


@pytest.mark.django_db
def test_on_their_own_entry_a_provider_edits_previews_and_submits_but_cannot_publish(world):
    own, client = world.own, world.client
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    page = client.get(f"/admin/pages/{own.pk}/edit/").content.decode()
    assert 'name="action-submit"' in page
    assert 'name="action-publish"' not in page and "action-delete" not in page
    assert client.get(f"/admin/pages/{own.pk}/history/").status_code == 200

    response = client.post(f"/admin/pages/{own.pk}/edit/preview/", entry_form(own))
    assert response.json()["is_valid"]
    assert MARKER in client.get(f"/admin/pages/{own.pk}/edit/preview/").content.decode()

    before = fingerprint()
    response = client.post(f"/admin/pages/{own.pk}/edit/", entry_form(own, **{"action-publish": 1}))
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert fingerprint() == before

    response = client.post(f"/admin/pages/{own.pk}/edit/", entry_form(own, **{"action-submit": 1}))
    assert response.status_code == 302
    entry = CatalogueEntryPage.objects.get(pk=own.pk)
    assert entry.workflow_in_progress and entry.summary != MARKER  # not live
    assert entry.get_latest_revision().content["summary"] == MARKER
    state = entry.current_workflow_state
    assert state.requested_by == world.ana.user
    assert TaskState.objects.filter(workflow_state=state, status="in_progress").exists()
    assert Revision.page_revisions.filter(object_id=str(own.pk)).count() >= 1
    assert Page.objects.get(pk=own.pk).live


def still_refused(entry, link):
    """Links Wagtail 8 puts in every page editor, which no hook takes away and which stay out of
    a provider's reach (docs/providers.md): the breadcrumbs to the page explorer (the entry, and
    the catalogue above it for a provider with several entries), the entry's "Referenced N
    times" (where the pages and drafts that use it are listed), and the edit link of a term
    chosen in a field (terms are the editors')."""
    explorer = {f"/admin/pages/{page.pk}/" for page in entry.get_ancestors(inclusive=True)}
    return (
        link in explorer
        or link == f"/admin/pages/{entry.pk}/usage/"
        or bool(re.fullmatch(r"/admin/snippets/catalogue/term/edit/\d+/", link))
    )


@pytest.mark.django_db
def test_a_providers_own_entry_editor_offers_no_action_that_is_then_refused(world):
    """Wagtail offered a provider Copy in the editor's ⋯ menu, and Delete on an entry never
    published, each then refused with a 403 (pages/catalogue/models/entries.py:
    EntryPermissionTester). Every other link they are given answers, but the few that no
    Wagtail 8 hook removes. Ana's live entry and Ben's unpublished one."""
    client = world.client
    for provider, entry in ((world.ana, world.own), (world.ben, world.draft)):
        client.force_login(provider.user)
        edit = client.get(f"/admin/pages/{entry.pk}/edit/").content.decode()
        links = set(re.findall(r'href="(/admin/[^"?#]*)', edit))
        assert f"/admin/pages/{entry.pk}/history/" in links
        refused = {link for link in links if client.get(link).status_code == 403}
        unexpected = {link for link in refused if not still_refused(entry, link)}
        assert not unexpected, f"{provider.name}: {sorted(unexpected)}"


def test_a_provider_confirms_their_own_entry_as_still_true_and_no_one_elses(world):
    """Confirming changes no content, so it is not held for review (docs/catalogue.md): the
    provider's own entry's date moves at once; another entry's address is refused as before."""
    own, other, client = world.own, world.other, world.client
    edit = client.get(f"/admin/pages/{own.pk}/edit/").content.decode()
    assert f"/admin/catalogue/entries/{own.pk}/confirm/" in edit
    assert client.get(f"/admin/catalogue/entries/{own.pk}/confirm/").status_code == 200
    published = CatalogueEntryPage.objects.get(pk=own.pk).live_revision_id
    response = client.post(f"/admin/catalogue/entries/{own.pk}/confirm/", {"section": ["about"]})
    assert response.status_code == 302
    entry = CatalogueEntryPage.objects.get(pk=own.pk)
    assert entry.about_confirmed == timezone.localdate()
    assert entry.live_revision_id != published and not entry.has_unpublished_changes

    before = fingerprint()
    response = client.post(f"/admin/catalogue/entries/{other.pk}/confirm/", {"section": ["about"]})
    assert response.status_code == 403 and fingerprint() == before
