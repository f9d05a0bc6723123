"""A regression test for each class of past Wagtail advisory, against this site: permission
bypass by a low-privilege admin user, information disclosure, stored and reflected cross-site
scripting, denial of service through oversized input; and the public headers and cookies scored
with the MDN HTTP Observatory's rules. docs/security.md explains the choices."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, PageViewRestriction

from conftest import PASSWORD, add_page, make_document, paragraph
from pages.blocks import LinkBlock
from pages.contacts.models import Contact
from pages.links.models import Link
from pages.models import (
    ImpactHighlight,
    InitiativePage,
    OrganisationSettings,
    ResourcesPage,
    StandardPage,
)
from pages.tests.hostile import (
    HOSTILE_HTML,
    HOSTILE_URLS,
    SAFE_URLS,
    WORDS_OF_HOSTILE_HTML,
    unfollowable_in_html,
    unfollowable_in_json,
)
from pages.tests.observatory import score

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ["/", "/initiatives/", "/initiatives/initiative-1/", "/impact/", "/about/", "/contact/"]


# Headers and cookies, with production's own settings


@pytest.fixture(scope="module")
def production_values():
    """Production's security settings, read in a process of its own (importing the module here
    would change this process's settings)."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CONTENT_SECURITY_POLICY",
    ]
    code = (
        "import json, ioisite.settings.production as p; "
        f"print(json.dumps({{n: getattr(p, n) for n in {names!r}}}))"
    )
    env = dict(os.environ, DJANGO_SECRET_KEY="k" * 50, DJANGO_SITE_URL="https://testserver")
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC)
def test_public_headers_and_cookies_lose_no_observatory_points(client, site_tree, production, path):
    response = client.get(path, secure=True)
    assert response.status_code == 200
    cookies = [morsel.OutputString() for morsel in response.cookies.values()]
    redirect = client.get(path)
    redirects = redirect.status_code == 301 and redirect["Location"].startswith("https://")
    penalties = score(response.headers, cookies, response.content.decode(), redirects)
    assert penalties == {}, penalties
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]


@pytest.mark.django_db
def test_the_public_policy_is_strict_and_the_admin_policy_is_the_one_written_down(
    admin_client, client, site_tree
):
    public = client.get("/about/")["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'self'"):
        assert directive in public
    assert "frame-ancestors 'self'" in public
    assert "unsafe-inline" not in public and "unsafe-eval" not in public
    for header in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Cross-Origin-Resource-Policy",
        "Permissions-Policy",
    ):
        assert client.get("/about/").has_header(header), header

    admin = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in admin
    assert "unsafe-eval" not in admin
    assert "object-src 'none'" in admin


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/initiatives/", "/impact/", "/about/", "/contact/", "/no-such-page/"]
)
def test_anonymous_pages_the_contact_page_included_set_no_cookie(client, site_tree, path):
    assert not client.get(path).cookies


@pytest.mark.django_db
def test_the_contact_form_needs_no_cookie_and_refuses_a_cross_site_post(
    site_tree, contacts, production
):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/contact/", secure=True)
    assert not page.cookies
    form = page.context["form"]
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "purpose": contacts.general.purpose_id,
        "message": "Hello there, a question about your work.",
        "form_token": form["form_token"].value(),
    }
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        refused = browser.post(
            "/contact/",
            data,
            secure=True,
            headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example"},
        )
        assert refused.status_code == 403
        response = browser.post(
            "/contact/",
            data,
            secure=True,
            headers={"Sec-Fetch-Site": "same-origin", "Origin": "https://testserver"},
        )
    assert response.status_code == 303


@pytest.mark.django_db
def test_the_session_cookie_is_secure_httponly_and_samesite(site_tree, production, admin_user):
    browser = Client()
    page = browser.get("/admin/login/", secure=True)
    token = page.context["csrf_token"]
    response = browser.post(
        "/admin/login/",
        {"username": "admin", "password": "password", "csrfmiddlewaretoken": token},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


# Sign-in lockout


def try_sign_in(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_that_account_from_that_client_then_it_cools_off(
    client, make_user
):
    make_user("editor")
    make_user("moderator")
    for _ in range(4):
        assert try_sign_in(client, "editor", "wrong").status_code == 200  # the form again
    locked = try_sign_in(client, "editor", "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "paused for 15 minutes" in " ".join(locked.content.decode().split())
    assert locked["Retry-After"] == "900"
    assert "15 minutes" in locked.content.decode()
    # Even the right password waits; another person on the same client does not.
    assert try_sign_in(client, "editor", PASSWORD).status_code == 429
    assert try_sign_in(client, "moderator", PASSWORD).status_code == 302

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert try_sign_in(Client(), "editor", PASSWORD).status_code == 302


def test_password_validators_refuse_weak_passwords():
    from django.contrib.auth.password_validation import validate_password

    for weak in ("password", "12345678", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


# Permission bypass: a low-privilege admin user against what they may not touch


@pytest.mark.django_db
def test_an_editor_reaches_none_of_the_admin_urls_beyond_their_role(
    client, make_user, site_tree, contacts, organisation
):
    moderator = make_user("moderator")
    client.force_login(make_user("editor"))
    org = OrganisationSettings.load()
    message = _message()
    forbidden = [
        "/admin/users/",
        f"/admin/users/edit/{moderator.pk}/",
        "/admin/groups/",
        f"/admin/settings/pages/organisationsettings/{org.pk}/",
        "/admin/snippets/pages/contactmessage/",
        f"/admin/snippets/pages/contactmessage/inspect/{message.pk}/",
        f"/admin/snippets/pages/contactmessage/edit/{message.pk}/",
        "/admin/snippets/pages/contact/",
        "/admin/workflows/list/",
        "/admin/sites/",
    ]
    for url in forbidden:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Sam Sender" not in response.content.decode(), url


@pytest.mark.django_db
def test_a_contact_manager_reaches_no_page_view_of_the_admin(client, make_user, site_tree):
    about = site_tree.about
    first = about.save_revision()
    about.title = "About, revised"
    second = about.save_revision()
    client.force_login(make_user("contact manager"))
    for url in [
        f"/admin/pages/{about.pk}/edit/",
        f"/admin/pages/{about.pk}/history/",
        f"/admin/pages/{about.pk}/revisions/compare/{first.pk}...{second.pk}/",
        f"/admin/pages/{about.pk}/revisions/{first.pk}/view/",
        f"/admin/pages/{about.pk}/view_draft/",
        f"/admin/pages/{about.pk}/edit/preview/",
        f"/admin/pages/{about.pk}/copy/",
        f"/admin/pages/{about.pk}/workflow_history/",
        f"/admin/pages/{about.pk}/usage/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403, 405), url
        assert "About, revised" not in response.content.decode(), url


def _message():
    from pages.contacts.models import ContactMessage

    return ContactMessage.objects.create(
        name="Sam Sender", email="sam@example.org", message="A private question."
    )


# Information disclosure: drafts, private and unpublished things never reach a reader


@pytest.mark.django_db
def test_drafts_private_pages_and_unpublished_items_never_reach_an_anonymous_reader(
    client, site_tree, contacts
):
    index = site_tree.index
    draft = add_page(
        index, InitiativePage, title="Secret draft", slug="draft", summary="x", live=False
    )
    private = add_page(index, InitiativePage, title="Members only", slug="members", summary="x")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    live = site_tree.about
    live.title = "Unpublished new title"
    live.save_revision()  # a draft revision of a live page

    assert client.get(draft.url or "/initiatives/draft/").status_code == 404
    assert client.get("/initiatives/members/").status_code == 302
    pages = [client.get(path).content.decode() for path in [*PUBLIC, "/resources/"]]
    for html in pages:
        for secret in ("Secret draft", "Members only", "Unpublished new title", "Fund Routing"):
            assert secret not in html
    # The JSON API lists public pages only (every endpoint and filter: test_api.py), and a
    # private contact has no public vCard.
    api = client.get("/api/v2/pages/?fields=*&limit=50").content.decode()
    for secret in ("Secret draft", "Members only", "Unpublished new title"):
        assert secret not in api
    assert client.get(f"/contacts/{contacts.funding.pk}/vcard/").status_code == 404


@pytest.mark.django_db
def test_a_document_in_a_private_collection_needs_a_sign_in(client, site_tree):
    from wagtail.models import CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Minutes",
        collection=private,
        file=SimpleUploadedFile("minutes.txt", b"confidential minutes"),
    )
    response = client.get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]


# Uploads


@pytest.mark.django_db
def test_uploads_accept_only_allowed_types_and_sizes_with_safe_names(admin_client, settings):
    root = Collection.get_first_root_node().pk
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Logo", "collection": root, "file": SimpleUploadedFile("logo.svg", svg)},
    )
    assert response.status_code == 200 and not Image.objects.filter(title="Logo").exists()

    for name in ("page.html", "drawing.svg", "run.exe"):
        response = admin_client.post(
            "/admin/documents/add/",
            {"title": name, "collection": root, "file": SimpleUploadedFile(name, b"<script>")},
        )
        assert not Document.objects.filter(title=name).exists(), name

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    response = admin_client.post(
        "/admin/documents/add/",
        {"title": "Big", "collection": root, "file": SimpleUploadedFile("big.pdf", b"x" * 2000)},
    )
    assert not Document.objects.filter(title="Big").exists()

    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Odd name",
            "collection": root,
            "file": SimpleUploadedFile("../../a b<script>.pdf", b"%PDF-1.4"),
        },
    )
    stored = Document.objects.get(title="Odd name").file.name
    assert ".." not in stored and "<" not in stored and " " not in stored


# Links: no address but http(s) gets in anywhere a reader could follow it


BAD_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x"]
# Not scripts, but no address a reader's browser should be sent to from this site either.
NOT_WEB_URLS = ["ftp://example.org/report.pdf", "file:///etc/passwd"]


def link_fields():
    """Every place an editor or staff member types a web address, as a function that cleans
    that address there (raising ValidationError if it is refused)."""
    from pages.models.site_settings import SocialProfileBlock

    def block(block_class, value):
        instance = block_class()
        return lambda url: instance.clean(instance.to_python({**value, "url": url}))

    return {
        "link library": lambda url: Link(title="x", url=url).full_clean(),
        "link block": block(LinkBlock, {"page": None, "link": None, "title": "x"}),
        "impact source": lambda url: ImpactHighlight(
            figure="1", label="x", source_url=url
        ).clean_fields(exclude=["page"]),
        "organisation website": lambda url: OrganisationSettings(
            organisation_name="x", website_url=url
        ).clean_fields(exclude=["id"]),
        "newsletter": lambda url: OrganisationSettings(
            organisation_name="x", newsletter_url=url
        ).clean_fields(exclude=["id"]),
        "social profile": block(SocialProfileBlock, {"service": "mastodon", "label": ""}),
    }


@pytest.mark.parametrize("field", sorted(link_fields()))
@pytest.mark.parametrize("url", BAD_URLS + NOT_WEB_URLS)
def test_every_link_field_refuses_addresses_that_are_not_http_or_https(field, url):
    clean = link_fields()[field]
    clean("https://example.org/report")  # the field takes a web address...
    with pytest.raises(ValidationError):
        clean(url)  # ...and refuses this one


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_script_address_typed_into_rich_text_is_dropped(url):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    state = {
        "blocks": [
            {
                "key": "a",
                "text": "Click",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
    }
    html = ContentstateConverter(features=["link"]).to_database_format(json.dumps(state))
    assert "script:" not in html.lower() and "data:" not in html.lower()


# The gate on the way out: an address stored by code is never followed, whatever it says


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_gate_drops_every_spelling_of_a_script_or_offsite_address(url, caplog):
    from pages.fields import safe_url

    with caplog.at_level("WARNING", logger="pages.fields"):
        assert safe_url(url) == ""
    assert len(caplog.records) == 1 and repr(url) in caplog.records[0].getMessage()


@pytest.mark.parametrize("url", SAFE_URLS)
def test_the_gate_keeps_web_mail_phone_and_site_addresses_as_they_are(url):
    from pages.fields import safe_url

    assert safe_url(url) == url
    assert safe_url(f"  {url}\n") == url  # as a browser reads it


# Templates whose addresses are made by the site, never read from stored data.
NOT_STORED = {
    "staff_auth/enrol_authenticator.html": {"qr_code"},  # the QR code drawn as a data: image
    "staff_auth/recovery_codes.html": {"next"},  # checked by Wagtail's next-URL rules
    "email/contact_message.html": {"admin_url"},  # reverse()
    "pages/contact_page_thanks.html": {"url", "home_url"},  # gated in the `with`; {% url %}
    "pages/search.html": {"home_url"},  # {% url %}
    "pages/research_index_page.html": {"all_url"},  # {% pageurl %}
    "pages/contact_not_stored.html": {"request.path"},  # the address just asked for
    "catalogue/suggestion_not_stored.html": {"request.path"},  # the address just asked for
    "500.html": {"home_url"},  # {% url %}
    "pages/admin/broken_links_panel.html": {"report_url"},  # reverse()
    "pages/admin/new_messages_panel.html": {"listing_url"},  # reverse()
    "pages/admin/submit_translation.html": {"preview_url", "edit_url", "next_url"},
    "pages/admin/out_of_date_translations_panel.html": {"row.sync_url", "row.edit_url"},
    # The catalogue's own addresses: pages' urls, its routes, and its filter links (built by
    # pages/catalogue/finder.py from the page's url and an urlencoded query).
    "catalogue/catalogue_entry_page.html": {"index_url"},
    "catalogue/catalogue_index_page.html": {
        "page.url",
        "compare_address",
        "option.url",
        "entry.public_url",
        "suggest_url",
    },
    "catalogue/compare.html": {"entry.public_url", "csv_url", "page.url"},
    "catalogue/funding_needs.html": {"option.url", "entry.public_url", "page.url"},
    "catalogue/reuse.html": {"funding_url", "page.url"},
    "providers/your_entries_panel.html": {"item.edit_url"},  # reverse()
    "catalogue/suggest.html": {"page.url"},
    "catalogue/suggest_thanks.html": {"page.url", "suggest_url"},
    # reverse()
    "catalogue/admin/accept_suggestion.html": {"back_url"},
    "catalogue/admin/decline_suggestion.html": {"back_url"},
    "catalogue/admin/confirm_sections.html": {"edit_url"},
}


def test_every_address_a_template_draws_from_data_passes_the_gate():
    """An attribute a browser follows or loads, whose value starts with a variable (so the
    variable decides the scheme), must pass the variable through |safe_url (or take it from a
    `{% with x=...|safe_url %}`)."""
    attribute = re.compile(r'\b(?:href|src|action|formaction)="\{\{\s*([^}]*?)\s*\}\}')
    gated_with = re.compile(r"\{% with (\w+)=[^%]*\|safe_url %\}")
    ungated = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = str(path.relative_to(ROOT / "templates"))
        text = path.read_text()
        gated = {*gated_with.findall(text), *NOT_STORED.get(name, ())}
        for expression in attribute.findall(text):
            variable, *filters = [part.strip() for part in expression.split("|")]
            if "safe_url" not in filters and variable not in gated:
                ungated.append(f"{name}: {expression}")
    assert ungated == []


def store_hostile_addresses(url, tree, organisation):
    """`url` written by code, as the shell or an importer writes it (no full_clean), into every
    field that holds an address: settings, the footer's links, the link library, link blocks
    in bodies, related links and calls to action, impact sources, a publication's repository,
    and the link checker's report."""
    from pages.links.models import CheckedURL, URLUsage
    from pages.models import OrganisationWording, PublicationPage

    organisation.newsletter_url = url
    organisation.website_url = url
    organisation.social_profiles = [
        {"type": "profile", "value": {"service": "other", "url": url, "label": "Hostile profile"}}
    ]
    organisation.save()
    wording = OrganisationWording.objects.get()
    wording.footer_links = [{"type": "link", "value": {"url": url, "title": "Hostile footer"}}]
    wording.save()
    library = Link.objects.create(title="Hostile library link", url=url)
    link_value = {"page": None, "link": None, "url": url, "title": "Hostile block link"}
    about = StandardPage.objects.get(pk=tree.about.pk)
    about.body = [
        {"type": "link_list", "value": {"heading": "Links", "links": [link_value]}},
        {
            "type": "call_to_action",
            "value": {"heading": "Act", "text": "", "link": {**link_value, "title": "Act now"}},
        },
    ]
    about.save(clean=False)
    initiative = InitiativePage.objects.get(pk=tree.initiatives[0].pk)
    initiative.related_links = [
        {"type": "link", "value": link_value},
        {"type": "link", "value": {"page": None, "link": library.pk, "url": "", "title": ""}},
    ]
    initiative.call_to_action = [
        {"type": "call_to_action", "value": {"heading": "Act", "text": "", "link": link_value}}
    ]
    initiative.save(clean=False)
    ImpactHighlight.objects.filter(page=tree.impact).update(source_url=url)
    publication = PublicationPage.objects.get(pk=tree.publications[0].pk)
    publication.repository_url = url
    publication.save(clean=False)
    CheckedURL.objects.create(url=url, status="broken", final_url=url)
    URLUsage.objects.create(url=url, label="Hostile usage", edit_url=url)
    return publication


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_address_stored_by_code_reaches_no_page_feed_or_api_answer(
    client, admin_client, site_tree, organisation, url
):
    add_page(site_tree.home, ResourcesPage, title="Resources")
    publication = store_hostile_addresses(url, site_tree, organisation)
    paths = [
        *PUBLIC,
        "/resources/",
        "/research/",
        publication.url,
        "/news/",
        site_tree.posts[0].url,
        "/people/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert unfollowable_in_html(response.content.decode()) == [], path
        assert 'href=""' not in response.content.decode(), path  # left out, never emptied
    assert "Hostile library link" in client.get("/resources/").content.decode()
    html = client.get("/about/").content.decode()
    assert "Hostile block link" not in html and "Act now" not in html  # left out, not emptied
    for path in [
        "/api/v2/pages/?fields=*&limit=50",
        f"/api/v2/pages/{publication.pk}/",
        f"/api/v2/pages/{site_tree.impact.pk}/",
        f"/api/v2/pages/{site_tree.about.pk}/",
        f"/api/v2/pages/{site_tree.initiatives[0].pk}/",
    ]:
        assert unfollowable_in_json(client.get(path).json()) == [], path
    report = admin_client.get("/admin/reports/link-health/").content.decode()
    assert [f for f in unfollowable_in_html(report) if "alert" in f or "evil" in f] == []


# Rich text: cleaned to the editor's allow-list whenever it is written


def hostile_is_gone(stored):
    lowered = stored.lower()
    for trace in ("<script", "onerror", "onclick", "onload", "onmouseover", "javascript",
                  "<iframe", "<svg", "<style", "style=", "<object", "<form", "formaction",
                  "data:", "<img", "class="):  # fmt: skip
        assert trace not in lowered, (trace, stored)
    for words in WORDS_OF_HOSTILE_HTML:
        assert words in stored  # the words stay; only the markup goes


@pytest.mark.django_db
def test_hostile_rich_text_written_through_the_orm_reads_back_clean(site_tree):
    from django.core import serializers
    from wagtail.models import Revision

    index = InitiativePage.objects.get(pk=site_tree.initiatives[0].pk)
    intro = site_tree.index

    made = add_page(site_tree.home, StandardPage, title="Made", body=[paragraph(HOSTILE_HTML)])
    index.body = [paragraph(HOSTILE_HTML)]
    index.save(clean=False)  # save()
    intro.introduction = HOSTILE_HTML
    intro.save(clean=False)
    written = {
        "create": lambda: StandardPage.objects.get(pk=made.pk).body.raw_data[0]["value"],
        "save, stream": lambda: InitiativePage.objects.get(pk=index.pk).body.raw_data[0]["value"],
        "save, field": lambda: type(intro).objects.get(pk=intro.pk).introduction,
    }
    for read in written.values():
        hostile_is_gone(read())
    assert intro.introduction == type(intro).objects.get(pk=intro.pk).introduction  # in memory

    # QuerySet.update(), which calls no save()
    type(intro).objects.filter(pk=intro.pk).update(introduction=HOSTILE_HTML)
    hostile_is_gone(type(intro).objects.get(pk=intro.pk).introduction)
    StandardPage.objects.filter(pk=made.pk).update(body=[paragraph(HOSTILE_HTML)])
    hostile_is_gone(StandardPage.objects.get(pk=made.pk).body.raw_data[0]["value"])
    StandardPage.objects.filter(pk=made.pk).update(body=json.dumps([paragraph(HOSTILE_HTML)]))
    hostile_is_gone(StandardPage.objects.get(pk=made.pk).body.raw_data[0]["value"])

    # A fixture (loaddata saves with raw=True)
    fixture = json.loads(serializers.serialize("json", [type(intro).objects.get(pk=intro.pk)]))
    fixture[0]["fields"]["introduction"] = HOSTILE_HTML
    for loaded in serializers.deserialize("json", json.dumps(fixture)):
        loaded.save()
    hostile_is_gone(type(intro).objects.get(pk=intro.pk).introduction)

    # A revision, made from the page or written by code, and the page published from it
    intro.introduction = HOSTILE_HTML
    revision = intro.save_revision(clean=False)
    hostile_is_gone(Revision.objects.get(pk=revision.pk).content["introduction"])
    content = {**revision.content, "introduction": HOSTILE_HTML}
    content["pk"] = intro.pk
    written_by_code = Revision.objects.create(
        content_type=revision.content_type,
        base_content_type=revision.base_content_type,
        object_id=revision.object_id,
        content=content,
    )
    hostile_is_gone(Revision.objects.get(pk=written_by_code.pk).content["introduction"])
    stream = StandardPage.objects.get(pk=made.pk)
    stream.body = [paragraph(HOSTILE_HTML)]
    stream_revision = stream.save_revision(clean=False)
    hostile_is_gone(
        json.loads(Revision.objects.get(pk=stream_revision.pk).content["body"])[0]["value"]
    )
    written_by_code.publish()
    hostile_is_gone(type(intro).objects.get(pk=intro.pk).introduction)


def test_rich_text_nested_in_structs_lists_and_streams_is_cleaned():
    from wagtail import blocks

    from pages.fields import clean_stream_data

    nested = blocks.StreamBlock(
        [
            (
                "section",
                blocks.StructBlock(
                    [
                        ("text", blocks.RichTextBlock(features=["bold"])),
                        ("items", blocks.ListBlock(blocks.RichTextBlock(features=["bold"]))),
                        ("inner", blocks.StreamBlock([("p", blocks.RichTextBlock())])),
                    ]
                ),
            )
        ]
    )
    data = [
        {
            "type": "section",
            "value": {
                "text": HOSTILE_HTML,
                "items": [{"type": "item", "value": HOSTILE_HTML, "id": "1"}, HOSTILE_HTML],
                "inner": [{"type": "p", "value": HOSTILE_HTML}],
            },
        }
    ]
    value = clean_stream_data(nested, data)[0]["value"]
    for stored in (value["text"], value["items"][0]["value"], value["items"][1]):
        hostile_is_gone(stored)
        assert "<a" not in stored  # "link" is not among these blocks' features
    hostile_is_gone(value["inner"][0]["value"])


def editor_html(features, blocks_, entities):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    state = {"blocks": blocks_, "entityMap": entities}
    return ContentstateConverter(features=features).to_database_format(json.dumps(state))


def editor_block(key, text, kind="unstyled", styles=(), entities=()):
    return {
        "key": key,
        "text": text,
        "type": kind,
        "depth": 0,
        "inlineStyleRanges": [{"offset": o, "length": n, "style": s} for o, n, s in styles],
        "entityRanges": [{"offset": o, "length": n, "key": k} for o, n, k in entities],
    }


@pytest.mark.django_db
def test_what_the_editor_writes_survives_byte_for_byte(site_tree):
    from pages.models.base import INTRODUCTION_FEATURES

    document = make_document()
    text = 'Tom & Jerry\'s "quote" <tag> café\u00a0and more'
    links = {
        "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "https://example.org/?a=1&b=2"}},
        "1": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": site_tree.about.pk}},
        "2": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "mailto:info@example.org"}},
        "3": {"type": "DOCUMENT", "mutability": "MUTABLE", "data": {"id": document.pk}},
    }  # fmt: skip
    styled = [(0, 3, "BOLD"), (4, 1, "ITALIC")]
    linked = [(6, 5, 0), (12, 7, 1), (20, 5, 2)]
    introduction = editor_html(
        INTRODUCTION_FEATURES,
        [editor_block("a1b2c", text, styles=styled, entities=linked),
         editor_block("d3e4f", "line\nbreak")],
        {k: links[k] for k in "012"},
    )  # fmt: skip
    body_features = ["bold", "italic", "link", "document-link", "ol", "ul"]
    body = editor_html(
        body_features,
        [editor_block("a1b2c", text, styles=styled, entities=[*linked, (30, 4, 3)]),
         editor_block("g5h6i", "first", "ordered-list-item"),
         editor_block("j7k8l", "second", "unordered-list-item", styles=[(0, 6, "BOLD")])],
        links,
    )  # fmt: skip
    assert "<ol>" in body and 'linktype="document"' in body and 'linktype="page"' in body

    index = site_tree.index
    index.introduction = introduction
    index.save()
    page = StandardPage.objects.get(pk=site_tree.about.pk)
    page.body = [paragraph(body)]
    page.save()
    assert type(index).objects.get(pk=index.pk).introduction == introduction
    assert StandardPage.objects.get(pk=page.pk).body.raw_data[0]["value"] == body


def test_every_rich_text_and_stream_field_of_the_site_cleans_what_it_writes():
    from django.apps import apps
    from wagtail import fields as wagtail_fields

    from pages import fields

    for model in [
        *apps.get_app_config("pages").get_models(),
        *apps.get_app_config("home").get_models(),
    ]:
        for field in model._meta.local_fields:
            if isinstance(field, wagtail_fields.RichTextField):
                assert isinstance(field, fields.RichTextField), f"{model.__name__}.{field.name}"
            if isinstance(field, wagtail_fields.StreamField):
                assert isinstance(field, fields.StreamField), f"{model.__name__}.{field.name}"


@pytest.mark.django_db
def test_the_migration_cleans_rich_text_stored_before_it(site_tree):
    """Rows and revisions written before the fields cleaned (through the historical models,
    whose fields are Wagtail's own), then the migration's function applied to them."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from wagtail.models import Revision

    state = MigrationExecutor(connection).loader.project_state(("pages", "0023_translators_role"))
    before = state.apps
    old_index = before.get_model("pages", "InitiativeIndexPage")
    old_standard = before.get_model("pages", "StandardPage")
    old_index.objects.filter(pk=site_tree.index.pk).update(introduction=HOSTILE_HTML)
    old_standard.objects.filter(pk=site_tree.about.pk).update(body=[paragraph(HOSTILE_HTML)])
    revision = site_tree.index.save_revision()
    before.get_model("wagtailcore", "Revision").objects.filter(pk=revision.pk).update(
        content={**revision.content, "introduction": HOSTILE_HTML}
    )
    assert "<script" in type(site_tree.index).objects.get(pk=site_tree.index.pk).introduction

    migration = importlib.import_module("pages.migrations.0024_clean_stored_rich_text")
    after = (
        MigrationExecutor(connection)
        .loader.project_state(("pages", "0024_clean_stored_rich_text"))
        .apps
    )
    migration.forwards(after, None)

    hostile_is_gone(type(site_tree.index).objects.get(pk=site_tree.index.pk).introduction)
    hostile_is_gone(StandardPage.objects.get(pk=site_tree.about.pk).body.raw_data[0]["value"])
    hostile_is_gone(Revision.objects.get(pk=revision.pk).content["introduction"])


# Stored and reflected cross-site scripting


def typed_into_rich_text(text):
    """What the rich-text editor stores when a person types `text` into a paragraph."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    state = {
        "blocks": [
            {
                "key": "a",
                "text": text,
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    return ContentstateConverter(features=["bold"]).to_database_format(json.dumps(state))


PAYLOADS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "</title><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "</script><script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "{{ 7|add:7 }}{% now 'Y' %}",
]


class ScriptFinder(HTMLParser):
    """Every way HTML could run script: script elements (other than our own static files and
    JSON data blocks), event-handler attributes, and javascript: addresses."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            kind = attrs.get("type") or ""
            src = attrs.get("src") or ""
            if not (kind.endswith("json") or src.startswith("/static/")):
                self.found.append(f"<script {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            script_schemes = ("javascript:", "data:text", "vbscript:")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith(script_schemes):
                self.found.append(f"{tag} {name}={value}")


def scripts_in(html):
    finder = ScriptFinder()
    finder.feed(html)
    return finder.found


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_stored_payloads_in_every_text_field_run_nowhere(
    client, admin_client, site_tree, contacts, organisation, payload
):
    baseline = {path: scripts_in(client.get(path).content.decode()) for path in PUBLIC}

    initiative = site_tree.initiatives[0]
    initiative.title = f"Initiative {payload}"
    initiative.summary = payload
    initiative.body = [
        paragraph(typed_into_rich_text(payload)),
        {"type": "heading", "value": {"text": payload, "level": "h2"}},
        {"type": "quote", "value": {"text": payload, "attribution": payload}},
    ]
    initiative.search_description = payload
    initiative.save_revision().publish()
    about = site_tree.about
    about.introduction = payload
    about.save_revision().publish()
    highlight = ImpactHighlight.objects.filter(page=site_tree.impact).first()
    highlight.figure, highlight.label, highlight.description = payload[:20], payload, payload
    highlight.save()
    Contact.objects.filter(pk=contacts.press.pk).update(name=payload, role=payload)
    Link.objects.create(title=payload, url="https://example.org/x", description=payload)
    organisation.organisation_name = payload
    organisation.tagline = payload
    organisation.footer_text = payload
    organisation.postal_address = payload
    organisation.save()

    for path in PUBLIC:
        html = client.get(path).content.decode()
        assert scripts_in(html) == baseline[path], path
    if "{{" in payload:  # shown as typed, never evaluated as a template
        assert "{{ 7|add:7 }}" in client.get("/about/").content.decode()
    for path in [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{site_tree.index.pk}/",
        f"/admin/pages/{initiative.pk}/edit/",
        "/admin/snippets/pages/link/",
        "/admin/snippets/pages/contact/",
        "/admin/reports/link-health/",
    ]:
        html = admin_client.get(path).content.decode()
        assert payload not in html or "<" not in payload, path
        assert not [s for s in scripts_in(html) if "alert" in s], path


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "path", ["/resources/?category={}", "/initiatives/?page={}", "/about/?q={}", "/no-such/{}"]
)
def test_query_strings_are_never_reflected_unescaped(client, site_tree, path, payload):
    from urllib.parse import quote

    response = client.get(path.format(quote(payload)))
    assert response.status_code < 500
    html = response.content.decode()
    assert "alert" not in "".join(scripts_in(html))
    if "<" in payload:
        assert payload not in html


# Denial of service through oversized input


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/initiatives/?page={}", "/resources/?category={}", "/contact/?x={}"]
)
def test_a_100000_character_query_is_answered_without_a_server_error(client, site_tree, path):
    long = "a" * 100_000
    url = path.format(long) if "{}" in path else f"{path}?q={long}"
    assert client.get(url).status_code < 500


@pytest.mark.django_db
def test_an_oversized_post_is_refused_cleanly(client, site_tree, contacts):
    from pages.contacts.models import ContactMessage

    form = "application/x-www-form-urlencoded"
    response = client.post("/contact/", "message=" + "x" * 3_000_000, content_type=form)
    assert response.status_code == 400  # over DATA_UPLOAD_MAX_MEMORY_SIZE
    fields = "&".join(f"field{n}=x" for n in range(20_000))
    response = client.post("/contact/", fields, content_type=form)
    assert response.status_code == 400  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert not ContactMessage.objects.exists()


def test_security_md_says_how_to_report_and_which_versions_get_fixes():
    text = (ROOT / "SECURITY.md").read_text()
    assert "report" in text.lower() and "supported" in text.lower()


@pytest.mark.django_db
def test_standard_page_body_with_payload_in_a_table_is_escaped(client, site_tree):
    page = add_page(
        site_tree.home,
        StandardPage,
        title="Table",
        slug="table",
        body=[
            {
                "type": "table",
                "value": {
                    "table_caption": PAYLOADS[0],
                    "data": [[PAYLOADS[1], PAYLOADS[0]], ["a", "b"]],
                    "first_row_is_table_header": True,
                },
            }
        ],
    )
    html = client.get(page.url).content.decode()
    assert not [s for s in scripts_in(html) if "alert" in s or "onerror" in s]
