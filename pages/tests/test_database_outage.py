"""The database cannot be reached: every page not in the cache answers 503 with Retry-After and a
short page in the reader's language, a contact message or a catalogue suggestion keeps its text,
and the next request after the database is back answers 200. Nothing is mocked: the test's
connection is really taken away and a new one really fails (SQLite: a file in a folder that
does not exist; PostgreSQL: a port where nothing listens), then the test's own connection is put
back."""

import logging
import re
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

from pages.catalogue.forms import make_suggestion_token
from pages.catalogue.models import Suggestion
from pages.contacts.forms import make_form_token
from pages.contacts.models import ContactMessage
from pages.http.outage import is_database_outage, outage_log
from pages.tests.cataloguing import build_catalogue

pytestmark = pytest.mark.django_db


@contextmanager
def database_unreachable(tmp_path):
    """Until the block ends, every attempt to connect fails as it would in an outage."""
    connection = connections["default"]  # the wrapper itself: django.db.connection is a proxy
    saved_state = dict(connection.__dict__)
    saved_settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "gone" / "db.sqlite3")
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        connection.settings_dict["OPTIONS"] = {
            **saved_settings.get("OPTIONS", {}),
            "connect_timeout": 2,
        }
    connection.connection = None
    try:
        yield
    finally:
        failed = connection.connection
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.__dict__.clear()
        connection.__dict__.update(saved_state)
        assert failed is None, "a connection was made during the outage"


@pytest.fixture
def outage(tmp_path):
    outage_log.since = None
    yield lambda: database_unreachable(tmp_path)
    outage_log.since = None


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def assert_unavailable(response, language="en"):
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert "Invest in Open Infrastructure" in html
    return html


def test_an_uncached_page_answers_503_with_retry_after_in_english(site_tree, outage, caplog):
    Client().get("/")  # Wagtail's site lookup is cached: the outage must show anyway
    with outage(), caplog.at_level(logging.WARNING, logger="pages.http.outage"):
        html = assert_unavailable(Client().get("/"))
        assert_unavailable(Client().get("/about/"))
    assert "Temporarily unavailable" in html and "try again in a minute" in html
    warnings = [r for r in caplog.records if r.name == "pages.http.outage"]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0].getMessage()


def test_a_spanish_address_answers_in_spanish(site_tree, outage):
    with outage():
        html = assert_unavailable(Client().get("/es/"), language="es")
        assert_unavailable(Client().get("/es/buscar/?q=datos"), language="es")
    assert "Temporalmente no disponible" in html
    assert "Temporarily unavailable" not in html


def test_a_cached_page_is_still_served(site_tree, outage, page_cache_on):
    client = Client()
    assert client.get("/").status_code == 200
    with outage():
        response = client.get("/")
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
        assert_unavailable(client.get("/about/"))


def test_search_and_an_unknown_address_answer_503(site_tree, outage):
    with outage():
        assert_unavailable(Client().get("/search/?q=open"))
        assert_unavailable(Client().get("/no-such-page/"))
        assert_unavailable(Client().get("/feeds/news/"))


def test_the_contact_page_answers_503(site_tree, outage):
    with outage():
        assert_unavailable(Client().get("/contact/"))


def contact_post(**overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "purpose": "",
        "message": "A message written during the outage, kept <b>as typed</b>.",
        "website": "",
        "form_token": make_form_token(issued_at=time.time() - 60),
    }
    data.update(overrides)
    return data


def test_a_contact_message_during_an_outage_gets_its_text_back(site_tree, contacts, outage):
    client = Client(enforce_csrf_checks=True)
    client.get("/contact/")
    with outage():
        response = client.post("/contact/", contact_post())
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Your message was not sent" in html
    assert "A message written during the outage, kept &lt;b&gt;as typed&lt;/b&gt;." in html
    assert 'value="ada@example.org"' in html and 'action="/contact/"' in html
    assert not ContactMessage.objects.exists()

    # Sent again once the database is back: stored.
    again = re.search(r'name="form_token" value="([^"]+)"', html)[1]
    response = client.post("/contact/", contact_post(form_token=again))
    assert response.status_code == 303 and ContactMessage.objects.count() == 1


def test_a_suggestion_during_an_outage_gets_its_text_back_and_is_stored_once_sent_again(
    site_tree, outage
):
    catalogue = build_catalogue(site_tree.home, count=1)
    category = catalogue.terms["category", "publishing-system"].pk
    suggestion = {
        "name": "Open Journal Systems",
        "website": "https://pkp.sfu.ca/ojs/",
        "provider": "Public Knowledge Project",
        "category": str(category),
        "description": "Written during the outage, kept <b>as typed</b>.",
        "email": "ada@example.org",
        "consent_to_contact": "on",
        "homepage": "",
        "form_token": make_suggestion_token(issued_at=time.time() - 60),
    }
    client = Client(enforce_csrf_checks=True)
    with outage():
        response = client.post("/catalogue/suggest/", suggestion)
    assert response.status_code == 503
    assert response["Retry-After"] == "60" and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Your suggestion was not sent" in html
    assert "Written during the outage, kept &lt;b&gt;as typed&lt;/b&gt;." in html
    assert 'value="Public Knowledge Project"' in html and 'value="https://pkp.sfu.ca/ojs/"' in html
    assert f'name="category" value="{category}"' in html
    assert 'action="/catalogue/suggest/"' in html
    assert not Suggestion.objects.exists()

    # Sent again from that page once the database is back: stored, once, with its category.
    fields = dict(
        re.findall(r'<(?:input|textarea)[^>]* name="([^"]+)"[^>]*?(?: value="([^"]*)")?', html)
    )
    assert fields["form_token"] and fields["homepage"] == ""
    again = {**suggestion, "form_token": fields["form_token"]}
    response = client.post("/catalogue/suggest/", again)
    assert response.status_code == 303
    assert Suggestion.objects.get().category_id == category


def test_a_post_that_is_not_the_contact_form_gets_the_general_page(site_tree, outage):
    with outage():
        assert_unavailable(Client().post("/contact/", contact_post(form_token="forged")))
        assert_unavailable(Client().post("/contact/", contact_post(website="http://spam")))
        # A suggestion's token is not the contact form's, nor the other way round.
        forged = contact_post(form_token=make_suggestion_token(issued_at=time.time() - 60))
        assert_unavailable(Client().post("/contact/", forged))


def test_a_failing_hook_falls_back_to_the_general_page(site_tree, outage, caplog):
    from wagtail import hooks

    def broken(request):
        raise RuntimeError("the hook broke")

    with hooks.register_temporarily("answer_during_database_outage", broken, order=-1), outage():
        response = Client().post("/contact/", contact_post())
    assert_unavailable(response)
    assert "the hook broke" in caplog.text


def test_a_database_error_that_is_no_outage_is_still_a_500(site_tree, settings, caplog):
    """A bug must still look like a bug: a query on a table that does not exist."""
    from pages.models import StandardPage

    StandardPage._meta.db_table, table = "no_such_table", StandardPage._meta.db_table
    try:
        response = Client(raise_request_exception=False).get("/about/")
    finally:
        StandardPage._meta.db_table = table
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()


def test_the_next_request_after_the_database_is_back_answers_200(site_tree, outage, caplog):
    with caplog.at_level(logging.WARNING, logger="pages.http.outage"):
        with outage():
            for _ in range(3):
                assert_unavailable(Client().get("/about/"))
        assert Client().get("/about/").status_code == 200
        assert Client().get("/").status_code == 200
    messages = [r.getMessage() for r in caplog.records if r.name == "pages.http.outage"]
    assert len(messages) == 2, messages
    assert "cannot be reached" in messages[0] and "answers again" in messages[1]


def test_an_outage_met_by_the_session_of_a_signed_in_reader_is_a_503(site_tree, outage, make_user):
    """The session is read by the middleware before any view: handler500's way."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user("editor"))
    with outage():
        assert_unavailable(client.get("/"))
        assert_unavailable(client.get("/admin/"))


def test_what_counts_as_an_outage(site_tree, outage):
    from django.db import DatabaseError, OperationalError

    with outage():
        try:
            connection.ensure_connection()
        except OperationalError as error:
            refused = error
    assert is_database_outage(refused)
    assert not is_database_outage(DatabaseError("no cause"))
    assert not is_database_outage(ValueError())


def test_healthz_keeps_saying_why(site_tree, outage):
    with outage():
        response = Client().get("/healthz/")
        assert Client().get("/healthz/live/").status_code == 200
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
