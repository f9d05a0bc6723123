"""The roles matrix in docs/roles.md, proved on the server: each action is attempted through the
admin's own URLs by each role, and either takes effect or is refused leaving every table as it
was. The table is read from the document, so the two cannot drift apart."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection, Page, Revision, TaskState
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringTranslation, TranslationSource

from conftest import (
    PASSWORD,
    add_page,
    build_home,
    create_user,
    fill_organisation,
    make_contacts,
    module_transaction,
    role_groups,
)
from pages.catalogue.models import CatalogueEntryPage, CatalogueIndexPage, Suggestion, Term
from pages.contacts.models import Contact, ContactMessage
from pages.editorial.roles import WORKFLOW_NAME
from pages.links.models import Link, LinkCategory
from pages.models import OrganisationSettings, StandardPage
from pages.people.models import Person
from pages.tests.translating import spanish, translate

MARKER = "Changed by the roles test"
ROLES = ["Anonymous", "Editor", "Moderator", "Contact manager", "Translator", "Administrator"]


def read_matrix():
    text = (Path(settings.BASE_DIR) / "docs" / "roles.md").read_text()
    table = text.split("## The matrix", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["Action", *ROLES], f"docs/roles.md matrix columns changed: {header}"
    matrix = {}
    for row in rows[2:]:
        action, *cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert set(cells) <= {"yes", "no"}, f"{action}: write yes or no, not {cells}"
        matrix[action] = dict(zip(ROLES, [cell == "yes" for cell in cells], strict=True))
    return matrix


MATRIX = read_matrix()


# The world every case starts from


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The pages, rows and users the actions touch, built once for the module's 190-odd cases,
    each of which runs in a transaction rolled back to this world."""
    with module_transaction(django_db_blocker):
        groups = role_groups()
        contacts = make_contacts(fill_organisation())
        users = {role: create_user(role.lower(), groups=groups) for role in ROLES[1:]}
        home = build_home()
        about = add_page(
            home, StandardPage, title="About", slug="about", introduction="Who we are."
        )
        first = about.save_revision()
        about.introduction = "Second words"
        second = about.save_revision()
        second.publish()
        policies = add_page(home, StandardPage, title="Policies", slug="policies")
        draft = add_page(home, StandardPage, title="Notes in progress", slug="notes", live=False)
        proposal = add_page(home, StandardPage, title="Proposal", slug="proposal")
        submitter = get_user_model().objects.create_user("submitter", "s@example.org", PASSWORD)
        submitter.groups.add(groups["Editors"])
        proposal.save_revision(user=submitter)
        workflow_state = proposal.get_workflow().start(proposal, submitter)
        category = LinkCategory.objects.create(name="Reading", slug="reading")
        link = Link.objects.create(
            title="A report", url="https://example.org/report", category=category
        )
        message = ContactMessage.objects.create(
            name="Sam Sender",
            email="sam@example.org",
            purpose_name="General",
            message="A question about membership of the community.",
        )
        # About in Spanish (a draft, as "Translate" leaves it), then a change to the English
        # that the translation has not seen; the link in Spanish.
        about_translation = translate(about)
        about.introduction = "Newer words"
        about.save_revision().publish()
        link_translation = translate(link)
        catalogue = add_page(home, CatalogueIndexPage, title="Catalogue", slug="catalogue")
        term = Term.objects.create(vocabulary="licence", name="MIT", slug="mit")
        suggestion = Suggestion.objects.create(
            name="Suggested by the public",
            website="https://example.org/",
            description="An infrastructure someone suggested.",
            email="someone@example.org",
            consent_to_contact=True,
        )
        yield SimpleNamespace(
            catalogue=catalogue,
            term=term,
            suggestion=suggestion,
            users=users,
            home=home,
            about=about,
            revisions=(first, second),
            policies=policies,
            draft=draft,
            proposal=proposal,
            task_state=workflow_state.current_task_state,
            link=link,
            person=Person.objects.create(given_names="Guest", family_name="Writer"),
            contact=contacts.press,
            message=message,
            about_es=StandardPage.objects.get(
                translation_key=about.translation_key, locale=spanish()
            ),
            about_translation=about_translation,
            link_es=Link.objects.get(translation_key=link.translation_key, locale=spanish()),
            link_translation=link_translation,
        )


@pytest.fixture
def world(module_world, db):
    """The module's world, with this case's list of responses."""
    return SimpleNamespace(**vars(module_world), responses=[])


def fingerprint():
    """Every table's row count, and the values the actions would change."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            if table != "django_session":
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return {
        "counts": counts,
        "pages": list(
            Page.objects.order_by("pk").values_list(
                "pk", "title", "path", "live", "has_unpublished_changes", "latest_revision_id"
            )
        ),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "approved_go_live_at")),
        "tasks": list(TaskState.objects.order_by("pk").values_list("pk", "status")),
        "links": list(Link.objects.order_by("pk").values_list("pk", "title", "url")),
        "people": list(Person.objects.order_by("pk").values_list("pk", "family_name")),
        "contacts": list(Contact.objects.order_by("pk").values_list("pk", "name")),
        "messages": list(ContactMessage.objects.order_by("pk").values_list("pk", "status")),
        "suggestions": list(
            Suggestion.objects.order_by("pk").values_list("pk", "status", "entry_id")
        ),
        "settings": list(OrganisationSettings.objects.values_list("organisation_name")),
        "sources": list(
            TranslationSource.objects.order_by("pk").values_list(
                "pk", "content_json", "last_updated_at"
            )
        ),
        "strings": list(StringTranslation.objects.order_by("pk").values_list("pk", "data")),
    }


# The actions: each attempts one thing and says whether it took effect.


def page_form(page, **fields):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": MARKER,
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def post(client, world, url, data=None, **kwargs):
    response = client.post(url, data or {}, **kwargs)
    world.responses.append(response)
    return response


def get(client, world, url):
    response = client.get(url)
    world.responses.append(response)
    return response


def latest_introduction(page):
    revision = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-pk").first()
    return revision.content.get("introduction")


def edit_draft(client, w):
    post(client, w, f"/admin/pages/{w.about.pk}/edit/", page_form(w.about))
    return latest_introduction(w.about) == MARKER


def preview(client, w):
    url = f"/admin/pages/{w.about.pk}/edit/preview/"
    post(client, w, url, page_form(w.about))
    response = get(client, w, url)
    return response.status_code == 200 and MARKER in response.content.decode()


def submit(client, w):
    post(client, w, f"/admin/pages/{w.about.pk}/edit/", page_form(w.about, **{"action-submit": 1}))
    return Page.objects.get(pk=w.about.pk).workflow_in_progress


def workflow_action(action, status):
    def attempt(client, w):
        url = f"/admin/pages/workflow/action/{w.proposal.pk}/{action}/{w.task_state.pk}/"
        post(client, w, url, {"comment": "Please name the source."})
        return TaskState.objects.get(pk=w.task_state.pk).status == status

    return attempt


def publish(client, w):
    post(client, w, f"/admin/pages/{w.about.pk}/edit/", page_form(w.about, **{"action-publish": 1}))
    return StandardPage.objects.get(pk=w.about.pk).introduction == MARKER


def schedule(client, w):
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    data = page_form(w.about, go_live_at=later, **{"action-publish": 1})
    post(client, w, f"/admin/pages/{w.about.pk}/edit/", data)
    return Revision.page_revisions.filter(
        object_id=str(w.about.pk), approved_go_live_at__isnull=False
    ).exists()


def unpublish(client, w):
    post(client, w, f"/admin/pages/{w.about.pk}/unpublish/")
    return not Page.objects.get(pk=w.about.pk).live


def delete_page(attribute):
    def attempt(client, w):
        page = getattr(w, attribute)
        post(client, w, f"/admin/pages/{page.pk}/delete/")
        return not Page.objects.filter(pk=page.pk).exists()

    return attempt


def copy_page(client, w):
    data = {"new_title": "About again", "new_slug": "about-again", "new_parent_page": w.home.pk}
    post(client, w, f"/admin/pages/{w.about.pk}/copy/", data)
    return Page.objects.filter(slug="about-again").exists()


def move_page(client, w):
    post(client, w, f"/admin/pages/{w.about.pk}/move/{w.policies.pk}/confirm/")
    return Page.objects.get(pk=w.about.pk).get_parent().pk == w.policies.pk


def history(client, w):
    response = get(client, w, f"/admin/pages/{w.about.pk}/history/")
    return response.status_code == 200 and w.about.title in response.content.decode()


def compare(client, w):
    first, second = w.revisions
    url = f"/admin/pages/{w.about.pk}/revisions/compare/{first.pk}...{second.pk}/"
    response = get(client, w, url)
    return response.status_code == 200 and "Second words" in response.content.decode()


def edit_settings(client, w):
    org = OrganisationSettings.load()
    data = nested_form_data(
        {
            "organisation_name": MARKER,
            "contact_email": org.contact_email,
            "website_url": org.website_url,
            "social_profiles": streamfield([]),
        }
    )
    post(
        client,
        w,
        reverse("wagtailsettings:edit", args=["pages", "organisationsettings", org.pk]),
        data,
    )
    return OrganisationSettings.load().organisation_name == MARKER


def edit_link(client, w):
    data = {"title": MARKER, "url": w.link.url, "category": w.link.category_id, "language": "en"}
    post(client, w, f"/admin/snippets/pages/link/edit/{w.link.pk}/", data)
    return Link.objects.get(pk=w.link.pk).title == MARKER


def add_person(client, w):
    post(
        client,
        w,
        "/admin/snippets/pages/person/add/",
        {"given_names": "Ann", "family_name": MARKER},
    )
    return Person.objects.filter(family_name=MARKER).exists()


def delete_person(client, w):
    post(client, w, f"/admin/snippets/pages/person/delete/{w.person.pk}/")
    return not Person.objects.filter(pk=w.person.pk).exists()


def add_term(client, w):
    data = {"vocabulary": "licence", "name": MARKER, "slug": "role-test", "sort_order": 0}
    post(client, w, "/admin/snippets/catalogue/term/add/", data)
    return Term.objects.filter(name=MARKER).exists()


def delete_term(client, w):
    post(client, w, f"/admin/snippets/catalogue/term/delete/{w.term.pk}/")
    return not Term.objects.filter(pk=w.term.pk).exists()


def entry_form(**fields):
    return nested_form_data(
        {
            "title": MARKER,
            "slug": "role-test-entry",
            "policies": inline_formset([]),
            "comments": inline_formset([]),
            **fields,
        }
    )


def add_entry_and_submit(client, w):
    url = f"/admin/pages/add/catalogue/catalogueentrypage/{w.catalogue.pk}/"
    post(client, w, url, entry_form(**{"action-submit": 1}))
    entry = CatalogueEntryPage.objects.filter(slug="role-test-entry").first()
    return entry is not None and entry.workflow_in_progress


def publish_entry(client, w):
    url = f"/admin/pages/add/catalogue/catalogueentrypage/{w.catalogue.pk}/"
    post(client, w, url, entry_form(**{"action-publish": 1}))
    return CatalogueEntryPage.objects.filter(slug="role-test-entry", live=True).exists()


def accept_suggestion(client, w):
    post(client, w, f"/admin/catalogue/suggestions/{w.suggestion.pk}/accept/")
    return Suggestion.objects.filter(
        pk=w.suggestion.pk, status="accepted", entry__isnull=False
    ).exists()


def decline_suggestion(client, w):
    post(client, w, f"/admin/catalogue/suggestions/{w.suggestion.pk}/decline/", {"reason": MARKER})
    return Suggestion.objects.filter(pk=w.suggestion.pk, status="declined").exists()


def upload_image(client, w):
    root = Collection.get_first_root_node()
    data = {"title": MARKER, "file": make_image_file(), "collection": root.pk}
    post(client, w, "/admin/images/add/", data)
    return Image.objects.filter(title=MARKER).exists()


def make_image_file():
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), (11, 79, 108)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def edit_contact(client, w):
    c = w.contact
    data = {"name": MARKER, "role": c.role, "email": c.email, "purpose": c.purpose_id}
    data.update(is_public="on", sort_order=0)
    post(client, w, f"/admin/snippets/pages/contact/edit/{c.pk}/", data)
    return Contact.objects.get(pk=c.pk).name == MARKER


def list_messages(client, w):
    response = get(client, w, "/admin/snippets/pages/contactmessage/")
    return response.status_code == 200 and w.message.name in response.content.decode()


def export_messages(client, w):
    response = get(client, w, "/admin/snippets/pages/contactmessage/?export=csv")
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return w.message.message in body.decode()


def mark_handled(client, w):
    data = {"status": ContactMessage.Status.HANDLED, "notes": "Answered by phone."}
    post(client, w, f"/admin/snippets/pages/contactmessage/edit/{w.message.pk}/", data)
    return ContactMessage.objects.get(pk=w.message.pk).status == ContactMessage.Status.HANDLED


def delete_message(client, w):
    post(client, w, f"/admin/snippets/pages/contactmessage/delete/{w.message.pk}/")
    return not ContactMessage.objects.filter(pk=w.message.pk).exists()


def add_user(client, w):
    data = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "first_name": "New",
        "last_name": "Comer",
        "password1": "a long passphrase for the newcomer",
        "password2": "a long passphrase for the newcomer",
    }
    post(client, w, reverse("wagtailusers_users:add"), data)
    return get_user_model().objects.filter(username="newcomer").exists()


def open_translation_editor(client, w):
    response = get(client, w, f"/admin/pages/{w.about_es.pk}/edit/")
    return response.status_code == 200 and "js-translation-editor" in response.content.decode()


def translate_string(client, w, translation, english):
    segment = translation.source.stringsegment_set.get(string__data=english)
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(
        url, encode_multipart(BOUNDARY, {"value": MARKER}), content_type=MULTIPART_CONTENT
    )
    w.responses.append(response)


def submit_translation(client, w):
    translate_string(client, w, w.about_translation, "About")
    post(client, w, reverse("submit_translation_for_review", args=[w.about_es.pk]))
    page = Page.objects.get(pk=w.about_es.pk)
    return page.workflow_in_progress and page.get_latest_revision().content["title"] == MARKER


def committed():
    """wagtail-localize publishes a page once the transaction commits; a test's never does."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def publish_translation(client, w):
    with committed():
        post(client, w, f"/admin/pages/{w.about_es.pk}/edit/", {"action": "publish"})
    return Page.objects.get(pk=w.about_es.pk).live


def sync_translation(client, w):
    url = reverse("wagtail_localize:update_translations", args=[w.about_translation.source_id])
    post(client, w, url, {})
    return (
        "Newer words"
        in TranslationSource.objects.get(pk=w.about_translation.source_id).content_json
    )


def sync_and_publish(client, w):
    url = reverse("wagtail_localize:update_translations", args=[w.about_translation.source_id])
    with committed():
        post(client, w, url, {"publish_translations": "on"})
    page = StandardPage.objects.get(pk=w.about_es.pk)
    return page.live and page.introduction == "Newer words"


def edit_spanish_link(client, w):
    translate_string(client, w, w.link_translation, w.link.title)
    post(client, w, f"/admin/snippets/pages/link/edit/{w.link_es.pk}/", {"action": "publish"})
    return Link.objects.get(pk=w.link_es.pk).title == MARKER


ACTIONS = {
    "Edit a page and save a draft": edit_draft,
    "Preview a draft": preview,
    "Submit a page for moderation": submit,
    "Approve a page in moderation": workflow_action("approve", TaskState.STATUS_APPROVED),
    "Request changes to a page in moderation": workflow_action("reject", TaskState.STATUS_REJECTED),
    "Publish a page": publish,
    "Schedule a page to go live later": schedule,
    "Unpublish a page": unpublish,
    "Delete a draft page": delete_page("draft"),
    "Delete a live page": delete_page("about"),
    "Copy a page": copy_page,
    "Move a live page": move_page,
    "See a page's history": history,
    "Compare a page's revisions": compare,
    "Edit the organisation settings": edit_settings,
    "Edit a link in the library": edit_link,
    "Add a person (an author)": add_person,
    "Delete a person": delete_person,
    "Add or change a catalogue term (a licence, a standard...)": add_term,
    "Delete a catalogue term": delete_term,
    "Write a catalogue entry and submit it for moderation": add_entry_and_submit,
    "Publish a catalogue entry": publish_entry,
    "Accept a suggested infrastructure into a draft entry": accept_suggestion,
    "Decline a suggested infrastructure": decline_suggestion,
    "Upload an image": upload_image,
    "Edit a contact": edit_contact,
    "List messages from the public": list_messages,
    "Export messages from the public": export_messages,
    "Mark a message handled": mark_handled,
    "Delete a message": delete_message,
    "Add a user": add_user,
    "Open a Spanish page in the translation editor": open_translation_editor,
    "Submit a Spanish translation for moderation": submit_translation,
    "Publish a Spanish translation": publish_translation,
    "Sync a translation with its changed English page": sync_translation,
    "Publish translations while syncing them": sync_and_publish,
    "Edit a Spanish link (a translated snippet)": edit_spanish_link,
}

CASES = [(action, role) for action in MATRIX for role in ROLES]


def test_every_action_in_the_matrix_is_tested_and_every_tested_action_is_documented():
    assert list(MATRIX) == list(ACTIONS)


def sign_in(client, world, role):
    if role == "Anonymous":
        return
    user = world.users[role]
    client.force_login(user)
    # Wagtail makes a user's profile on their first admin visit: make it before counting rows.
    UserProfile.get_for_user(user)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a} | {r}" for a, r in CASES])
def test_role_outcome_matches_docs(client, world, action, role):
    sign_in(client, world, role)
    before = fingerprint()

    happened = ACTIONS[action](client, world)

    allowed = MATRIX[action][role]
    assert happened == allowed, f"{role} {'could not' if allowed else 'could'}: {action}"
    assert all(r.status_code < 500 for r in world.responses)
    if not allowed:
        assert fingerprint() == before, "a refused attempt changed the database"
        if role == "Anonymous":
            assert all(
                r.status_code == 302 and "/admin/login/" in r["Location"] for r in world.responses
            )


@pytest.mark.django_db
def test_a_forged_publish_by_an_editor_is_refused_outright(client, world):
    """Wagtail alone would save a draft; the site refuses (Wagtail's way: back to the dashboard
    with "Sorry, you do not have permission") and keeps nothing."""
    client.force_login(world.users["Editor"])
    data = page_form(world.about, **{"action-publish": 1})
    response = client.post(f"/admin/pages/{world.about.pk}/edit/", data)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert latest_introduction(world.about) != MARKER

    data = page_form(StandardPage(title="New", slug="new"), **{"action-publish": 1})
    response = client.post(f"/admin/pages/add/pages/standardpage/{world.home.pk}/", data)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not Page.objects.filter(slug="new").exists()


@pytest.mark.django_db
def test_an_editor_still_saves_and_submits_a_new_page(client, world):
    client.force_login(world.users["Editor"])
    data = page_form(StandardPage(title="New", slug="new"), **{"action-submit": 1})
    response = client.post(f"/admin/pages/add/pages/standardpage/{world.home.pk}/", data)
    assert response.status_code == 302
    page = Page.objects.get(slug="new")
    assert not page.live and page.workflow_in_progress


@pytest.mark.django_db
def test_the_roles_migration_can_run_again_without_changing_anything(world):
    from pages.editorial.roles import sync_roles

    before = fingerprint()
    sync_roles()
    assert fingerprint() == before


@pytest.mark.django_db
def test_one_workflow_covers_the_whole_tree(world):
    for page in [world.home, world.about, world.policies, world.draft, world.about_es]:
        workflow = page.get_workflow()
        assert workflow is not None and workflow.name == WORKFLOW_NAME
        reviewers = {g.name for g in workflow.tasks.get().specific.groups.all()}
        assert reviewers == {"Moderators"}
