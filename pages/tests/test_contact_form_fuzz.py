"""Hundreds of random and hostile posts: no server error, and every valid post stored once."""

import itertools
import os
import time

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.contacts.forms import ContactForm, make_form_token
from pages.contacts.models import ContactMessage

pytestmark = pytest.mark.django_db

# 400 posts a run (about 10 s of a core); CI's two runs (SQLite, PostgreSQL) make 800, and each
# run draws new ones. For a deeper search:
# make test PYTEST_ARGS="pages/tests/test_contact_form_fuzz.py" IOI_FUZZ_EXAMPLES=20000.
EXAMPLES = int(os.environ.get("IOI_FUZZ_EXAMPLES", "400"))
ADDRESSES = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

any_text = st.text(max_size=300)  # any unicode, NUL bytes included
hostile_text = st.sampled_from(
    [
        "",
        "\x00",
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "Robert'); DROP TABLE pages_contactmessage;--",
        "a" * 6000,
        "\r\nBcc: victim@example.org",
        "😀" * 2000,
    ]
)
field_value = st.one_of(any_text, hostile_text)
valid_post = st.fixed_dictionaries(
    {
        "name": st.text(min_size=1, max_size=120).filter(lambda s: s.strip() and "\x00" not in s),
        "email": st.emails().filter(lambda e: len(e) <= 254),
        "purpose": st.just(""),
        "message": st.text(min_size=1, max_size=5000).filter(
            lambda s: s.strip() and "\x00" not in s
        ),
    }
)
random_post = st.fixed_dictionaries(
    {},
    optional={
        "name": field_value,
        "email": st.one_of(st.emails(), field_value),
        "purpose": st.one_of(st.integers(-5, 10**12).map(str), field_value),
        "message": field_value,
        "website": st.one_of(st.just(""), field_value),
    },
)
extra_fields = st.dictionaries(st.text(min_size=1, max_size=20), any_text, max_size=30)


@pytest.fixture
def browser_session(site_tree, contacts):
    """A client that enforces CSRF, as a real browser session would (the contact form needs no
    CSRF token: its posts are checked by their origin, pages/http/cross_origin.py)."""
    client = Client(enforce_csrf_checks=True)
    client.get("/contact/")
    assert not client.cookies  # the contact page sets no cookie
    return client


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    post=st.one_of(valid_post, random_post),
    extras=extra_fields,
    cross_site=st.booleans(),
    token_age=st.sampled_from([60, 0, None]),
)
@pytest.mark.slow
def test_no_post_causes_a_server_error_and_valid_posts_are_stored_once(
    browser_session, post, extras, cross_site, token_age
):
    client = browser_session
    data = {**extras, **post}
    if token_age is not None:
        data["form_token"] = make_form_token(issued_at=time.time() - token_age)
    fetch_site = "cross-site" if cross_site else "same-origin"

    response = client.post(
        "/contact/", data, REMOTE_ADDR=next(ADDRESSES), HTTP_SEC_FETCH_SITE=fetch_site
    )

    assert response.status_code < 500
    form = ContactForm(data)
    valid = not form.is_bot() and form.is_valid()
    stored = ContactMessage.objects.filter(
        submission_id=form.cleaned_data["submission_id"] if valid else None
    )
    if any("\x00" in f"{name}{value}" for name, value in data.items()):
        # No browser sends a NUL byte: refused before anything reads the form.
        assert response.status_code == 400
        assert not stored.exists()
    elif not cross_site and valid:
        assert response.status_code == 303
        assert stored.count() == 1
        assert (stored.get().name, stored.get().message) == (
            form.cleaned_data["name"],
            form.cleaned_data["message"],
        )
    else:
        assert response.status_code in (200, 303, 400, 403)
        assert not stored.exists()
