"""Requests no browser sends, one class at a time: each gets a 4xx with the site's own page,
never a 5xx, and stores nothing. Add a class here when a new one is found
(docs/security.md)."""

import time

import pytest
from django.core import signing
from django.test import Client

from pages.contacts.forms import TOKEN_SALT, make_form_token
from pages.contacts.models import ContactMessage

pytestmark = pytest.mark.django_db

OWN_PAGE = "Request not understood"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def visitor(site_tree, contacts):
    """A browser-like client: CSRF enforced, and a server error answered, not raised."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/contact/")
    return client


def message_body(**fields):
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "purpose": "",
        "message": "Hello",
        "website": "",
        "form_token": make_form_token(issued_at=time.time() - 60),
        **fields,
    }
    return "&".join(f"{name}={value}" for name, value in data.items())


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "iso-8859-15"])
@pytest.mark.parametrize("path", ["/contact/", "/about/", "/search/", "/admin/login/"])
def test_a_form_in_another_character_set_is_refused_with_the_sites_page(visitor, path, charset):
    body = message_body().encode()  # the bytes, whatever the header says
    response = visitor.post(path, body, content_type=f"{FORM}; charset={charset}")
    assert response.status_code == 400
    assert OWN_PAGE in response.content.decode()
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=open%00infrastructure",
        "/?page=%00",
        "/resources/?category=%00reports",
        "/initiatives/?page=1&%00=x",
        "/research/?year=2024%00",
        "/news/?tag=%00funding",
    ],
)
def test_a_nul_byte_in_the_address_is_refused_with_the_sites_page(visitor, path):
    response = visitor.get(path)
    assert response.status_code == 400
    assert OWN_PAGE in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/research/?year=99999999999999999999999",
        "/research/?year=2024&year=2023",
        "/research/?type=<script>",
        "/research/?page=-1",
        "/news/?tag=" + "x" * 5000,
        "/news/?tag=%F0%9F%98%80&page=abc",
        "/research/publication-1/cite/%2e%2e/",
        "/research/publication-1/cite/bibtex/extra/",
        "/people/%F0%9F%98%80/",
        "/blog/../admin/",
    ],
)
def test_odd_filters_and_addresses_in_research_and_news_are_never_a_server_error(visitor, path):
    response = visitor.get(path)
    assert response.status_code < 500, path
    assert "<script>" not in response.content.decode()


def test_a_nul_byte_in_a_form_field_is_refused_and_nothing_is_stored(visitor):
    body = message_body(message="Hello%00there")
    response = visitor.post("/contact/", body, content_type=FORM)
    assert response.status_code == 400 and OWN_PAGE in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_a_truncated_multipart_body_is_no_server_error_and_stores_nothing(visitor):
    """Django reads what it can of it (nothing, here): a post without the form's token, which
    a bot gets the usual thank-you for. (Before the contact form dropped its CSRF token, that
    token's absence answered 403 first.)"""
    body = b'--edge\r\nContent-Disposition: form-data; name="message"\r\n\r\nHel'
    response = visitor.post("/contact/", body, content_type="multipart/form-data; boundary=edge")
    assert response.status_code < 500
    assert not ContactMessage.objects.exists()


def signed(payload):
    return signing.dumps(payload, salt=TOKEN_SALT)


UUID = "00000000-0000-0000-0000-000000000001"
ODD_TOKENS = {
    "a time too large for a float": {"id": UUID, "t": 10**400},
    "a time too small for a float": {"id": UUID, "t": -(10**400)},
    "a negative time": {"id": UUID, "t": -5},
    "a time in the future": {"id": UUID, "t": 4_000_000_000},
    "a boolean time": {"id": UUID, "t": True},
    "a number for the id": {"id": 12345, "t": 1},
    "a list for the id": {"id": ["a"], "t": 1},
    "an id that is no uuid": {"id": "not a uuid", "t": 1},
    "a list": ["a", "list"],
    "text": "text",
    "a number": 12345,
}


@pytest.mark.parametrize("payload", ODD_TOKENS.values(), ids=ODD_TOKENS.keys())
def test_a_signed_token_of_the_wrong_shape_is_a_form_error_not_a_crash(visitor, payload):
    body = message_body(form_token=signed(payload))
    response = visitor.post("/contact/", body, content_type=FORM)
    assert response.status_code in (200, 303)  # the form again, or a bot's thank-you
    assert not ContactMessage.objects.exists()


def test_the_contact_forms_429_says_when_to_come_back(site_tree, contacts, settings):
    settings.CONTACT_FORM_RATE = "1/10m"
    client = Client()
    for _ in range(2):
        response = client.post("/contact/", message_body(), content_type=FORM)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
