"""Suggesting an infrastructure (issue 28): the public form at /catalogue/suggest/ (Spanish
/es/catalogo/sugerir/), stored before anything can fail and guarded like the contact form; and
staff accepting a suggestion into a draft entry or declining it, on the server, once."""

import time
import uuid

import pytest
from django.db.models.signals import pre_save
from django.test import Client
from wagtail.models import Locale

from conftest import build_home, world
from pages.catalogue import review
from pages.catalogue.forms import make_suggestion_token
from pages.catalogue.models import CatalogueEntryPage, Suggestion
from pages.tests.cataloguing import build_catalogue

pytestmark = pytest.mark.django_db


@world
def catalogue(db):
    home = build_home()
    world = build_catalogue(home, count=2)
    world.home = home
    return world


def suggestion_data(terms=None, **overrides):
    data = {
        "name": "Open Journal Systems",
        "website": "https://pkp.sfu.ca/ojs/",
        "provider": "Public Knowledge Project",
        "category": terms["category", "publishing-system"].pk if terms else "",
        "description": "Software to manage and publish scholarly journals.",
        "email": "ada@example.org",
        "consent_to_contact": "on",
        "homepage": "",
        "form_token": make_suggestion_token(issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


@pytest.fixture
def suggest(client, catalogue):
    def _suggest(ip="203.0.113.7", path="/catalogue/suggest/", **overrides):
        return client.post(path, suggestion_data(catalogue.terms, **overrides), REMOTE_ADDR=ip)

    return _suggest


# The public form


def test_the_form_is_linked_from_the_catalogue_and_has_every_field_labelled(client, catalogue):
    assert 'href="/catalogue/suggest/"' in client.get("/catalogue/").content.decode()
    response = client.get("/catalogue/suggest/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    for field in ("name", "website", "provider", "category", "description", "email"):
        assert f'<label for="id_{field}"' in html
    assert 'for="id_consent_to_contact"' in html and 'name="form_token"' in html
    # The catalogue's own categories, by name.
    assert ">Publishing System</option>" in html and "(Licence)" not in html
    assert "no-cache" in response["Cache-Control"]


def test_a_valid_suggestion_is_stored_and_thanked(client, suggest, catalogue):
    response = suggest()
    assert response.status_code == 303 and response["Location"] == "/catalogue/suggest/thanks/"
    stored = Suggestion.objects.get()
    assert (stored.name, stored.website, stored.provider, stored.email) == (
        "Open Journal Systems",
        "https://pkp.sfu.ca/ojs/",
        "Public Knowledge Project",
        "ada@example.org",
    )
    assert stored.category == catalogue.terms["category", "publishing-system"]
    assert stored.category_name == "Publishing System" and stored.consent_to_contact
    assert stored.status == "new" and stored.language == "en"
    thanks = client.get(response["Location"])
    assert "<h1>Thank you for your suggestion</h1>" in thanks.content.decode()


def test_the_same_form_sent_twice_stores_one_suggestion(suggest):
    token = make_suggestion_token(issued_at=time.time() - 30)
    assert suggest(form_token=token).status_code == suggest(form_token=token).status_code == 303
    assert Suggestion.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 256, "Ensure this value has at most 255 characters"),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("website", "https://example.org/" + "x" * 500, "Ensure this value has at most 500"),
        ("provider", "x" * 256, "Ensure this value has at most 255 characters"),
        ("category", "999999", "Select a valid choice."),
        ("description", "x" * 1001, "Ensure this value has at most 1000 characters"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("consent_to_contact", "", "This field is required."),
    ],
)
def test_a_wrong_field_is_explained_and_what_was_typed_is_kept(suggest, field, value, error):
    response = suggest(**{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html and 'class="error-summary" role="alert"' in html
    assert f'id="id_{field}_error"' in html
    if field != "description":
        assert "Software to manage and publish scholarly journals.</textarea>" in html
    if field != "name":
        assert 'value="Open Journal Systems"' in html
    assert not Suggestion.objects.exists()


def test_a_category_from_another_vocabulary_is_refused(suggest, catalogue):
    response = suggest(category=catalogue.terms["licence", "mit"].pk)
    assert "Select a valid choice." in response.content.decode()
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "bot_fields",
    [
        lambda: {"homepage": "http://spam.example"},
        lambda: {"form_token": make_suggestion_token()},
        lambda: {"form_token": "forged"},
        lambda: {"form_token": ""},
    ],
    ids=["honeypot", "too fast", "forged token", "no token"],
)
def test_bot_posts_see_the_thank_you_but_nothing_is_stored(suggest, bot_fields):
    response = suggest(**bot_fields())
    assert response.status_code == 303 and response["Location"] == "/catalogue/suggest/thanks/"
    assert not Suggestion.objects.exists()


def test_a_contact_form_token_is_no_good_here(suggest):
    from pages.contacts.forms import make_form_token

    suggest(form_token=make_form_token(issued_at=time.time() - 60))
    assert not Suggestion.objects.exists()


def test_an_expired_form_asks_to_send_again_and_keeps_the_text(suggest):
    response = suggest(form_token=make_suggestion_token(issued_at=time.time() - 3 * 24 * 3600))
    html = response.content.decode()
    assert response.status_code == 200 and "open for a long time" in html
    assert 'value="Open Journal Systems"' in html
    assert not Suggestion.objects.exists()
    # The form comes back with a fresh token: sent again, it is stored.
    fresh = html.split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert fresh != suggestion_data()["form_token"]


def test_a_flood_is_held_back_with_a_429_that_keeps_the_text_and_loses_nothing_stored(suggest):
    for n in range(5):
        assert suggest(name=f"Infrastructure {n}").status_code == 303
    held = suggest(name="The sixth in ten minutes")
    html = held.content.decode()
    assert held.status_code == 429 and held["Retry-After"] == "600"
    assert "Your suggestion was not sent" in html and 'value="The sixth in ten minutes"' in html
    assert Suggestion.objects.count() == 5
    # Another visitor is not held back.
    assert suggest(ip="198.51.100.9", name="From someone else").status_code == 303
    assert Suggestion.objects.count() == 6


def test_too_many_fields_or_too_big_a_post_is_refused_not_a_server_error(suggest):
    many = suggest(**{f"field{n}": "x" for n in range(11_000)})
    huge = suggest(description="x" * 3_000_000)
    assert many.status_code == 400 and huge.status_code == 400
    assert not Suggestion.objects.exists()


def test_a_post_from_another_site_is_refused_with_why_and_the_text_kept(catalogue):
    """No CSRF cookie or token (the page is cached and sets no cookie): a post the browser marks
    as from another site is refused by pages/http/cross_origin.py, the same rule as the contact
    form's; one from the catalogue's own page, with no cookie, is stored."""
    data = suggestion_data(catalogue.terms, description="Our words, kept for the visitor.")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/catalogue/suggest/")
    assert page.status_code == 200 and not page.cookies
    refused = browser.post("/catalogue/suggest/", data, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403 and not Suggestion.objects.exists()
    text = refused.content.decode()
    assert "another website" in text and "Our words, kept for the visitor." in text
    sent = browser.post("/catalogue/suggest/", data, headers={"Sec-Fetch-Site": "same-origin"})
    assert sent.status_code == 303 and Suggestion.objects.count() == 1


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_not_allowed(client, catalogue, method):
    response = getattr(client, method)("/catalogue/suggest/", suggestion_data(catalogue.terms))
    assert response.status_code == 405 and not Suggestion.objects.exists()


def test_a_post_to_the_catalogue_or_the_thank_you_page_is_not_a_suggestion(client, catalogue):
    for path in ("/catalogue/", "/catalogue/suggest/thanks/", "/catalogue/entry-1/"):
        response = client.post(path, suggestion_data(catalogue.terms))
        assert response.status_code < 500
    assert not Suggestion.objects.exists()


def test_when_the_database_refuses_the_write_the_visitor_keeps_the_text(suggest):
    def refuse(sender, instance, **kwargs):
        from django.db import OperationalError

        raise OperationalError("disk I/O error")

    pre_save.connect(refuse, sender=Suggestion)
    try:
        response = suggest()
    finally:
        pre_save.disconnect(refuse, sender=Suggestion)
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "We could not store your suggestion" in html
    assert 'value="Open Journal Systems"' in html
    assert not Suggestion.objects.exists()
    assert suggest().status_code == 303 and Suggestion.objects.count() == 1


def test_a_payload_is_stored_as_text_and_escaped_on_the_way_back(suggest):
    payload = '<script>alert("x")</script>'
    response = suggest(name=payload, email="bad")
    html = response.content.decode()
    assert payload not in html and "&lt;script&gt;" in html


def test_the_spanish_form_takes_spanish_categories_and_thanks_in_spanish(client, catalogue):
    from conftest import translate

    translate(catalogue.home, title="Inicio")
    spanish_index = translate(catalogue.index, slug="catalogo")
    category = catalogue.terms["category", "publishing-system"]
    category_es = category.copy_for_translation(Locale.objects.get(language_code="es"))
    category_es.name = "Sistema de publicación"
    category_es.save()
    assert spanish_index.url == "/es/catalogo/"

    form = client.get("/es/catalogo/sugerir/").content.decode()
    assert "Sugerir una infraestructura" in form and "Sistema de publicación" in form
    response = client.post(
        "/es/catalogo/sugerir/",
        suggestion_data(category=category_es.pk),
        REMOTE_ADDR="203.0.113.8",
    )
    assert response["Location"] == "/es/catalogo/sugerir/gracias/"
    assert "Gracias por su sugerencia" in client.get(response["Location"]).content.decode()
    stored = Suggestion.objects.get()
    assert stored.language == "es" and stored.category_name == "Sistema de publicación"


# Staff: accept and decline


def stored_suggestion(catalogue, **fields):
    values = {
        "name": "Open Journal Systems",
        "website": "https://pkp.sfu.ca/ojs/",
        "provider": "Public Knowledge Project",
        "category": catalogue.terms["category", "publishing-system"],
        "category_name": "Publishing System",
        "description": "Software to manage and publish scholarly journals.",
        "email": "ada@example.org",
        "consent_to_contact": True,
        **fields,
    }
    return Suggestion.objects.create(**values)


@pytest.fixture
def staff(client, make_user):
    def _staff(role="editor"):
        user = make_user(role)
        client.force_login(user)
        return user

    return _staff


def test_staff_list_suggestions_with_filters(client, catalogue, staff):
    stored_suggestion(catalogue)
    stored_suggestion(catalogue, name="Declined one", status="declined")
    staff("editor")
    response = client.get("/admin/snippets/catalogue/suggestion/?status=new")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Journal Systems" in html and "Declined one" not in html
    assert "Accept into a draft entry" in html and "Decline" in html


def test_accepting_makes_one_prefilled_draft_under_the_catalogue(client, catalogue, staff):
    suggestion = stored_suggestion(catalogue)
    editor = staff("editor")
    url = f"/admin/catalogue/suggestions/{suggestion.pk}/accept/"
    # A GET only asks.
    assert "Make the draft entry" in client.get(url).content.decode()
    assert not CatalogueEntryPage.objects.filter(title="Open Journal Systems").exists()

    first = client.post(url)
    second = client.post(url)

    entry = CatalogueEntryPage.objects.get(title="Open Journal Systems")
    assert first["Location"] == second["Location"] == f"/admin/pages/{entry.pk}/edit/"
    assert entry.get_parent().pk == catalogue.index.pk
    assert not entry.live and entry.has_unpublished_changes
    assert (entry.slug, entry.provider, entry.website) == (
        "open-journal-systems",
        "Public Knowledge Project",
        "https://pkp.sfu.ca/ojs/",
    )
    assert entry.summary == "Software to manage and publish scholarly journals."
    assert list(entry.categories.all()) == [catalogue.terms["category", "publishing-system"]]
    assert entry.revisions.count() == 1
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.entry == entry
    assert suggestion.decided_by == editor
    # The draft is not public.
    client.logout()
    assert client.get("/catalogue/open-journal-systems/").status_code == 404


def test_accepting_twice_in_code_returns_the_same_draft(catalogue, make_user):
    suggestion = stored_suggestion(catalogue)
    editor = make_user("editor")
    first = review.accept(suggestion.pk, editor)
    assert review.accept(suggestion.pk, editor).pk == first.pk
    assert CatalogueEntryPage.objects.filter(title="Open Journal Systems").count() == 1


def test_an_accepted_suggestion_whose_draft_was_deleted_makes_a_new_draft(catalogue, make_user):
    suggestion = stored_suggestion(catalogue)
    editor = make_user("editor")
    review.accept(suggestion.pk, editor).delete()
    again = review.accept(suggestion.pk, editor)
    assert again.title == "Open Journal Systems" and again.slug == "open-journal-systems"


def test_a_name_taken_by_an_entry_gets_a_slug_of_its_own(catalogue, make_user):
    suggestion = stored_suggestion(catalogue, name="Entry 1", category=None)
    entry = review.accept(suggestion.pk, make_user("editor"))
    assert entry.slug == "entry-1-2" and not entry.categories.exists()


def test_a_long_description_is_shortened_to_the_summary(catalogue, make_user):
    suggestion = stored_suggestion(catalogue, description="word " * 199 + "end")
    entry = review.accept(suggestion.pk, make_user("editor"))
    assert len(entry.summary) <= 600 and entry.summary.endswith("…")


def test_declining_keeps_the_reason_and_cannot_be_accepted_after(client, catalogue, staff):
    suggestion = stored_suggestion(catalogue)
    staff("moderator")
    url = f"/admin/catalogue/suggestions/{suggestion.pk}/decline/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    response = client.post(url, {"reason": "Already listed as OJS."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "declined" and suggestion.decline_reason == "Already listed as OJS."
    client.post(f"/admin/catalogue/suggestions/{suggestion.pk}/accept/")
    assert not CatalogueEntryPage.objects.filter(title="Open Journal Systems").exists()
    too_long = client.post(url, {"reason": "x" * 1001})
    assert too_long.status_code == 400


@pytest.mark.parametrize("role", ["contact manager", "translator"])
def test_roles_without_the_permission_are_refused_and_nothing_changes(
    client, catalogue, staff, role
):
    suggestion = stored_suggestion(catalogue)
    staff(role)
    for action in ("accept", "decline"):
        url = f"/admin/catalogue/suggestions/{suggestion.pk}/{action}/"
        assert client.post(url, {"reason": "no"}).status_code in (302, 403)
    suggestion.refresh_from_db()
    assert suggestion.status == "new" and suggestion.entry is None
    assert CatalogueEntryPage.objects.count() == 2


def test_forged_or_missing_ids_are_a_404_never_a_server_error(client, catalogue, staff):
    staff("editor")
    for url in (
        "/admin/catalogue/suggestions/999999/accept/",
        "/admin/catalogue/suggestions/999999/decline/",
        "/admin/catalogue/suggestions/abc/accept/",
        f"/admin/catalogue/suggestions/{uuid.uuid4()}/accept/",
    ):
        assert client.post(url, {"reason": "x"}).status_code == 404
    assert CatalogueEntryPage.objects.count() == 2


def test_accept_is_post_only_in_effect(client, catalogue, staff):
    suggestion = stored_suggestion(catalogue)
    staff("editor")
    url = f"/admin/catalogue/suggestions/{suggestion.pk}/accept/"
    client.get(url)
    assert client.put(url).status_code == 405
    suggestion.refresh_from_db()
    assert suggestion.status == "new"


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_make_one_draft(make_user):
    """Each in a thread of its own, with its own connection, let go at the same moment."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (DATABASE_URL): SQLite's test database is one connection.")
    world = build_catalogue(build_home(), count=1)
    suggestion = stored_suggestion(world)
    people = [make_user("editor"), make_user("moderator")]
    start = threading.Barrier(len(people))
    made, failures = [], []

    def accept(user):
        try:
            start.wait()
            made.append(review.accept(suggestion.pk, user).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(made) == 2 and len(set(made)) == 1
    assert CatalogueEntryPage.objects.filter(title="Open Journal Systems").count() == 1
