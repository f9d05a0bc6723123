"""Translators and translations on the server: the group's grant on each other language's home,
what a translator may and may not change (through the admin's own addresses), submitting a
translation to moderation, and the dashboard's "Translations out of date". The roles matrix
(test_roles.py) holds the rest."""

import pytest
from django.contrib.auth.models import Group
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission, Locale, Page, TaskState
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.operations import translate_object

from conftest import add_page, build_home
from pages.contacts.models import Contact, ContactPurpose
from pages.editorial.out_of_date import out_of_date_pages, out_of_date_snippets
from pages.editorial.roles import TRANSLATORS, sync_roles
from pages.links.models import Link, LinkCategory
from pages.models import OrganisationWording, StandardPage
from pages.people.models import Person
from pages.tests.translating import fill_strings, spanish, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(roles):
    home = build_home()
    return add_page(home, StandardPage, title="About", slug="about", introduction="Who we are.")


def translator_grants():
    return set(
        GroupPagePermission.objects.filter(group__name=TRANSLATORS).values_list(
            "page__locale__language_code", "page__depth", "permission__codename"
        )
    )


def test_translators_are_given_the_spanish_home_when_it_is_made_and_by_sync_roles(about):
    assert translator_grants() == set()  # no Spanish home yet: nothing at all

    translate(about)  # wagtail-localize makes the Spanish home (an alias of the English one)
    assert translator_grants() == {("es", 2, "change_page")}

    GroupPagePermission.objects.filter(group__name=TRANSLATORS).delete()
    sync_roles()
    assert translator_grants() == {("es", 2, "change_page")}


def test_sync_roles_takes_back_anything_else_given_to_translators(about):
    translate(about)
    english_home = about.get_parent()
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=TRANSLATORS),
        page=english_home,
        permission_id=GroupPagePermission.objects.filter(group__name=TRANSLATORS)
        .get()
        .permission_id,
    )
    sync_roles()
    assert translator_grants() == {("es", 2, "change_page")}


def test_a_translator_edits_a_spanish_page_and_is_refused_the_english_one(client, make_user, about):
    translate(about)
    about_es = about.get_translation(spanish())
    client.force_login(make_user("translator"))

    response = client.get(f"/admin/pages/{about_es.pk}/edit/")
    assert response.status_code == 200
    assert "js-translation-editor" in response.content.decode()

    response = client.get(f"/admin/pages/{about.pk}/edit/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    # The explorer shows them the Spanish tree only.
    response = client.get("/admin/pages/")
    assert response.status_code == 302 or about.title not in response.content.decode()


def snippets():
    purpose = ContactPurpose.objects.create(name="Press office")
    category = LinkCategory.objects.create(name="Reading", slug="reading")
    wording, _ = OrganisationWording.objects.get_or_create(locale=Locale.get_default())
    return [
        purpose,
        Contact.objects.create(name="Pat", role="Press", email="pat@example.org", purpose=purpose),
        category,
        Link.objects.create(title="A report", url="https://example.org/r", category=category),
        Person.objects.create(given_names="Ada", family_name="Lovelace"),
        wording,
    ]


def edit_url(instance):
    meta = instance._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[instance.pk])


def test_a_translator_opens_every_spanish_snippet_and_no_english_one(client, make_user, roles):
    originals = snippets()
    for original in originals:
        translate(original)
    client.force_login(make_user("translator"))
    for original in originals:
        spanish_row = type(original).objects.get(
            translation_key=original.translation_key, locale=spanish()
        )
        response = client.get(edit_url(spanish_row))
        assert response.status_code == 200, type(original)
        assert "js-translation-editor" in response.content.decode()

        response = client.get(edit_url(original))
        assert (response.status_code, response["Location"]) == (302, "/admin/"), type(original)


def test_a_translator_cannot_save_an_english_link_even_by_a_forged_post(client, make_user, roles):
    link = Link.objects.create(title="A report", url="https://example.org/r")
    client.force_login(make_user("translator"))
    data = {"title": "Changed", "url": link.url, "language": "en"}
    client.post(edit_url(link), data)
    assert Link.objects.get(pk=link.pk).title == "A report"

    # An editor, through the same form, can: the refusal is the translator's.
    client.force_login(make_user("editor"))
    client.post(edit_url(link), data)
    assert Link.objects.get(pk=link.pk).title == "Changed"


def test_a_translator_cannot_write_an_english_translation_through_wagtail_localize(
    client, make_user, roles
):
    """A Spanish original translated into English: the English row is the translation's
    target, and wagtail-localize's string endpoint checks only the model permission."""
    original = Link.objects.create(
        title="Un informe", url="https://example.org/r", locale=spanish()
    )
    english = Locale.get_default()
    translate_object(original, [english])
    translation = Translation.objects.get(
        source__object_id=original.translation_key, target_locale=english
    )
    segment = translation.source.stringsegment_set.get()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    body = encode_multipart(BOUNDARY, {"value": "Changed"})

    client.force_login(make_user("translator"))
    response = client.put(url, body, content_type=MULTIPART_CONTENT)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not translation_strings(translation)

    client.force_login(make_user("editor"))
    assert client.put(url, body, content_type=MULTIPART_CONTENT).status_code == 201
    assert translation_strings(translation) == ["Changed"]


def translation_strings(translation):
    return list(
        StringTranslation.objects.filter(locale=translation.target_locale).values_list(
            "data", flat=True
        )
    )


# Moderation of a translation


def test_a_submitted_translation_leaves_the_live_spanish_page_as_it_was_until_approved(
    client, make_user, about, django_capture_on_commit_callbacks
):
    translation = translate(about)
    fill_strings(translation, {"About": "Quiénes somos", "about": "quienes-somos"})
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # the first Spanish version, live
    about_es = StandardPage.objects.get(pk=about.get_translation(spanish()).pk)
    assert about_es.live and about_es.title == "Quiénes somos"

    fill_strings(translation, {"About": "Sobre nosotros", "Who we are.": "Quiénes somos."})
    client.force_login(make_user("translator"))
    url = reverse("submit_translation_for_review", args=[about_es.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302

    about_es.refresh_from_db()
    assert about_es.title == "Quiénes somos"  # the public still reads the approved words
    assert about_es.introduction == "Who we are."
    assert about_es.workflow_in_progress
    revision = about_es.get_latest_revision()
    assert revision.content["title"] == "Sobre nosotros"
    assert revision.content["slug"] == "quienes-somos"

    # Submitting again while it waits is refused, and changes nothing.
    revisions = about_es.revisions.count()
    client.post(url)
    assert about_es.revisions.count() == revisions
    assert TaskState.objects.count() == 1

    task_state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    client.force_login(make_user("moderator"))
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[about_es.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    about_es.refresh_from_db()
    assert (about_es.live, about_es.title, about_es.introduction) == (
        True,
        "Sobre nosotros",
        "Quiénes somos.",
    )


def test_the_submit_action_is_offered_beside_a_translated_page_only(client, make_user, about):
    translate(about)
    about_es = about.get_translation(spanish())
    client.force_login(make_user("translator"))
    response = client.get(f"/admin/pages/{about_es.get_parent().pk}/")
    submit_url = reverse("submit_translation_for_review", args=[about_es.pk])
    assert submit_url in response.content.decode()

    client.force_login(make_user("editor"))
    response = client.get(f"/admin/pages/{about.get_parent().pk}/")
    assert "Submit translation to" not in response.content.decode()


def test_only_a_translated_page_can_be_submitted_from_here(client, make_user, about):
    client.force_login(make_user("editor"))
    response = client.get(reverse("submit_translation_for_review", args=[about.pk]))
    assert response.status_code == 404


# The dashboard's "Translations out of date"


def publish_change(page, **fields):
    page = StandardPage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_a_translation_is_out_of_date_once_its_english_page_is_published_again(
    client, make_user, about
):
    translation = translate(about)
    user = make_user("translator")
    assert out_of_date_pages(user) == []

    publish_change(about, introduction="What we do now.")
    about.save_revision()  # a later draft of the English does not count either way
    rows = out_of_date_pages(user)
    assert [(r["title"], r["language"]) for r in rows] == [("About", "Español")]
    about_es = about.get_translation(spanish())
    assert rows[0]["edit_url"] == f"/admin/pages/{about_es.pk}/edit/"
    sync_url = reverse("wagtail_localize:update_translations", args=[translation.source_id])
    assert rows[0]["sync_url"].startswith(sync_url)

    client.force_login(user)
    dashboard = client.get("/admin/").content.decode()
    assert "Translations out of date" in dashboard and sync_url in dashboard

    # Syncing (here as the dashboard's link does) brings it up to date.
    assert client.post(sync_url, {}).status_code == 302
    assert out_of_date_pages(user) == []


def test_a_snippet_translation_is_out_of_date_once_its_english_row_is_edited_in_the_admin(
    client, make_user, roles
):
    link = Link.objects.create(title="A report", url="https://example.org/r")
    translate(link)
    editor = make_user("editor")
    translator = make_user("translator")
    assert out_of_date_snippets(translator) == []

    client.force_login(editor)
    data = {"title": "The report", "url": link.url, "language": "en"}
    assert client.post(edit_url(link), data).status_code == 302

    rows = out_of_date_snippets(translator)
    assert [(r["kind"], r["title"]) for r in rows] == [("link", "A report")]
    link_es = Link.objects.get(translation_key=link.translation_key, locale=spanish())
    assert rows[0]["edit_url"] == edit_url(link_es)


def test_who_sees_the_panel(client, make_user, about):
    for role, shown in [
        ("translator", True),
        ("editor", True),
        ("moderator", True),
        ("contact manager", False),
    ]:
        client.force_login(make_user(role))
        assert ("Translations out of date" in client.get("/admin/").content.decode()) == shown


def out_of_date_world(count, start=0):
    home = Page.objects.get(depth=2, locale=Locale.get_default(), slug="test-home")
    pages, links = [], []
    for n in range(start, start + count):
        page = add_page(home, StandardPage, title=f"Page {n}", slug=f"page-{n}")
        translate(page)
        publish_change(page, introduction="Changed.")
        pages.append(page)
        link = Link.objects.create(title=f"Link {n}", url=f"https://example.org/{n}")
        person = Person.objects.create(given_names="Ada", family_name=f"Writer {n}")
        translate(link)
        translate(person)
        links.append(link)
        links.append(person)
    return pages, links


def test_the_panel_costs_the_same_queries_however_many_translations(
    make_user, about, django_assert_max_num_queries
):
    """8 queries for 3 rows or 18: the pages (with the reader's page permissions), the
    snippets' translations, the default locale, one per snippet model."""
    editor = make_user("editor")
    translator = make_user("translator")
    counts = []
    for made in (1, 5):
        _, snippets_made = out_of_date_world(made, start=len(counts) * 10)
        for snippet in snippets_made:
            log(snippet, "wagtail.edit", user=editor)  # as the admin logs an edit
        reader = type(translator).objects.get(pk=translator.pk)  # no cached permissions
        with django_assert_max_num_queries(8) as queries:
            rows = out_of_date_pages(reader) + out_of_date_snippets(reader)
        counts.append((len(rows), len(queries)))
    assert [rows for rows, _ in counts] == [3, 18]
    assert counts[0][1] == counts[1][1], counts
