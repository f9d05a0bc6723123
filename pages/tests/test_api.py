"""The read-only JSON API at /api/v2/: it answers the public site's live, public pages and the
images and documents they use, and nothing else, whatever the endpoint, filter or parameter;
it is paginated, rate-limited, cached with the pages and readable across origins."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from wagtail.documents.models import Document
from wagtail.models import (
    CollectionViewRestriction,
    PageViewRestriction,
    get_page_models,
)

from conftest import add_page, build_initiatives, make_image, paragraph, root_collection, translate
from pages.caching.shared import forget
from pages.contacts.models import ContactMessage
from pages.models import NewsPage, PublicationPage, StandardPage

SECRET = "zanzibarquokka"  # in every private or unpublished thing, and nowhere public

# Every page type of the site's own: a new one is hidden and probed below without a change here.
PAGE_TYPES = sorted(
    (m for m in get_page_models() if m._meta.app_label in ("home", "pages")),
    key=lambda m: m._meta.label,
)
# The text fields SECRET goes in, whichever a type has, and what a type needs besides to save.
TEXT_FIELDS = ("headline", "introduction", "summary", "abstract")
NEEDED = {
    NewsPage: {"published_on": date(2024, 1, 2), "body": [paragraph(f"<p>{SECRET}</p>")]},
    PublicationPage: {"published_on": date(2024, 6, 1)},
}
HIDDEN_WAYS = ("draft", "login", "password", "groups")


def has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def hide(parent, model, way, group):
    """A page of the type carrying SECRET, hidden one way: a draft, or a view restriction of
    the kind on the page itself."""
    name = model._meta.model_name
    fields = {field: SECRET for field in TEXT_FIELDS if has_field(model, field)}
    page = add_page(
        parent,
        model,
        title=f"{model._meta.verbose_name} {SECRET}",
        slug=f"{name}-{way}",
        live=way != "draft",
        **fields,
        **NEEDED.get(model, {}),
    )
    if way == "login":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif way == "password":
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
        )
    elif way == "groups":
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.add(group)
    return page


@pytest.fixture
def hidden(site_tree, contacts):
    """A draft, pages behind each kind of restriction, an alias of a private page, a live page
    with an unpublished rewording, and a contact message: all carrying SECRET. Then a page of
    every type in each of those ways: a draft, and behind a sign-in, a password and a group."""
    home = site_tree.home
    draft = add_page(
        home,
        StandardPage,
        title=f"Draft {SECRET}",
        slug="draft-plans",
        live=False,
        body=[paragraph(f"<p>{SECRET}</p>")],
    )
    members = add_page(
        home, StandardPage, title=f"Members {SECRET}", slug="members", introduction=SECRET
    )
    minutes = add_page(members, StandardPage, title=f"Minutes {SECRET}", slug="minutes")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    password = add_page(
        home, StandardPage, title=f"Board {SECRET}", slug="board", introduction=SECRET
    )
    PageViewRestriction.objects.create(
        page=password, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    staff = add_page(home, StandardPage, title=f"Staff {SECRET}", slug="staff")
    restriction = PageViewRestriction.objects.create(
        page=staff, restriction_type=PageViewRestriction.GROUPS
    )
    insiders = Group.objects.create(name="Insiders")
    restriction.groups.add(insiders)
    alias = minutes.create_alias(parent=site_tree.about, update_slug="minutes-copy")
    about = site_tree.about
    about.title = f"About {SECRET}"
    about.save_revision()  # a draft of a live page: the live title stays public
    ContactMessage.objects.create(
        name="A sender", email="sender@example.org", message=f"Private {SECRET} words"
    )
    private_ids = {draft.pk, members.pk, minutes.pk, password.pk, staff.pk, alias.pk}
    every_type = [hide(home, model, way, insiders) for model in PAGE_TYPES for way in HIDDEN_WAYS]
    return {
        "ids": private_ids | {page.pk for page in every_type},
        "tree": sorted(private_ids),
        "every_type": every_type,
        "members": members,
        "draft": draft,
        "alias": alias,
    }


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"] == "application/json", (url, response.status_code)
    return response


def probes(hidden):
    types = ["wagtailcore.Page", *(model._meta.label for model in PAGE_TYPES)]
    urls = [f"/api/v2/pages/?type={t}&fields=*&limit=50" for t in types]
    urls += [f"/api/v2/pages/?type={t}&search={SECRET}&fields=*" for t in types]
    urls += ["/api/v2/pages/?fields=*&limit=50", f"/api/v2/pages/?search={SECRET}"]
    urls += [f"/api/v2/pages/?search={word}&fields=*" for word in ("Minutes", "Members", "Board")]
    urls += [f"/api/v2/pages/?title=Members%20{SECRET}", "/api/v2/pages/?slug=members"]
    for page in hidden["every_type"]:
        urls += [
            f"/api/v2/pages/{page.pk}/?fields=*",
            f"/api/v2/pages/find/?html_path=/{page.slug}/",
        ]
    for pk in hidden["tree"]:
        urls += [
            f"/api/v2/pages/{pk}/",
            f"/api/v2/pages/{pk}/?fields=*",
            f"/api/v2/pages/?child_of={pk}",
            f"/api/v2/pages/?descendant_of={pk}",
            f"/api/v2/pages/?ancestor_of={pk}",
            f"/api/v2/pages/find/?id={pk}",
        ]
    for path in (
        "/members/",
        "/members/minutes/",
        "/board/",
        "/staff/",
        "/draft-plans/",
        "/about/minutes-copy/",
    ):
        urls.append(f"/api/v2/pages/find/?html_path={path}")
    urls += ["/api/v2/images/?fields=*", "/api/v2/documents/?fields=*"]
    urls += [f"/api/v2/images/?search={SECRET}", f"/api/v2/documents/?search={SECRET}"]
    return urls


@pytest.mark.slow
def test_no_draft_private_password_or_group_page_nor_a_message_appears_anywhere(
    client, hidden, settings
):
    settings.API_RATE = "1000/m"  # the probes are one address asking a few hundred times
    hidden_types = {page.specific_class._meta.label for page in hidden["every_type"]}
    assert hidden_types >= {
        "home.HomePage",
        "pages.StandardPage",
        "pages.PublicationPage",
        "pages.NewsPage",
        "pages.ResearchIndexPage",
        "pages.NewsIndexPage",
        "pages.PeopleIndexPage",
    }
    for url in probes(hidden):
        response = client.get(url, follow=True)
        text = response.content.decode()
        assert SECRET not in text, url
        assert response.status_code in (200, 400, 404), url
        if response.status_code == 200 and "items" in json.loads(text):
            assert not {item["id"] for item in json.loads(text)["items"]} & hidden["ids"], url


def test_the_listing_names_every_live_public_page_and_its_public_fields(client, site_tree):
    data = json.loads(get(client, "/api/v2/pages/?limit=50").content)
    titles = {item["title"] for item in data["items"]}
    assert {"Home", "Our work", "Our impact", "Contact", "About", "Initiative 1"} <= titles
    assert data["meta"]["total_count"] == len(data["items"])
    impact = json.loads(get(client, f"/api/v2/pages/{site_tree.impact.pk}/").content)
    assert impact["introduction"] == "<p>What changed.</p>"
    assert [h["figure"] for h in impact["highlights"]] == ["10+", "Policy", "Cited"]
    assert impact["meta"]["html_url"].endswith("/impact/")
    assert "owner" not in impact["meta"] and "draft_title" not in impact


def test_an_unpublished_page_leaves_the_api(client, site_tree):
    url = f"/api/v2/pages/{site_tree.about.pk}/"
    assert get(client, url).status_code == 200
    site_tree.about.unpublish()
    assert get(client, url).status_code == 404


def test_pages_come_a_bounded_page_at_a_time(client, site_tree, settings):
    assert get(client, "/api/v2/pages/?limit=51").status_code == 400
    data = json.loads(get(client, "/api/v2/pages/?limit=2&offset=1").content)
    assert len(data["items"]) == 2 and data["meta"]["total_count"] > 3
    assert get(client, "/api/v2/pages/?offset=99999999999999999999999").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "offset=x",
        "child_of=x",
        "type=nope.Nope",
        "fields=nope",
        "fields=title(",
        "order=nope",
        "first_published_at=yesterday",
        "id=x",
        "site=example.org:x",
        "search_operator=xor&search=a",
        "rich_text_format=nope",
        "unknown=1",
        "slug=%00",
    ],
)
def test_hostile_parameters_get_a_4xx_in_json(client, site_tree, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert 400 <= response.status_code < 500, (query, response.content)
    if "%00" not in query:  # a NUL byte is refused before the API (pages/http/malformed.py)
        assert response["Content-Type"] == "application/json"
    found = client.get(f"/api/v2/pages/find/?{query}")
    assert 400 <= found.status_code < 500 or found.status_code == 302, query


def test_only_get_is_answered(client, site_tree):
    assert client.post("/api/v2/pages/").status_code == 405
    assert client.delete(f"/api/v2/pages/{site_tree.about.pk}/").status_code == 405


def test_an_image_or_document_is_listed_only_if_a_public_page_uses_it(client, site_tree):
    used = make_image("Used on a public page")
    unused = make_image(f"Not used {SECRET}")
    private_collection = root_collection().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    hidden_image = make_image(f"Private collection {SECRET}")
    hidden_image.collection = private_collection
    hidden_image.save()
    initiative = site_tree.initiatives[0]
    initiative.hero_image, initiative.hero_image_alt = used, "A workshop"
    initiative.save_revision().publish()
    other = site_tree.initiatives[1]
    other.hero_image, other.hero_image_alt = hidden_image, "Board"
    other.save_revision().publish()
    Document.objects.create(title=f"Unused {SECRET}", file="documents/x.pdf")

    images = json.loads(get(client, "/api/v2/images/").content)
    assert [item["title"] for item in images["items"]] == ["Used on a public page"]
    assert get(client, f"/api/v2/images/{used.pk}/").status_code == 200
    for image in (unused, hidden_image):
        assert get(client, f"/api/v2/images/{image.pk}/").status_code == 404
    assert SECRET not in get(client, "/api/v2/documents/").content.decode()
    page = json.loads(get(client, f"/api/v2/pages/{initiative.pk}/").content)
    assert page["hero_image"]["title"] == "Used on a public page"
    assert page["hero_alt"] == "A workshop"
    assert "contact" not in page


def test_too_many_requests_get_a_json_429_that_says_when_to_come_back(client, site_tree, settings):
    settings.API_RATE = "3/m"
    statuses = [client.get(f"/api/v2/pages/?limit={n}").status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v2/images/")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in json.loads(refused.content)["detail"]


def test_other_sites_may_read_it_with_get_only(client, site_tree):
    response = get(client, "/api/v2/pages/", HTTP_ORIGIN="https://infra-finder.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    preflight = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN="https://infra-finder.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    page = client.get("/about/", HTTP_ORIGIN="https://infra-finder.example")
    assert "Access-Control-Allow-Origin" not in page  # the pages themselves stay same-origin


def test_api_answers_are_cached_and_emptied_on_publish_and_unpublish(
    client, site_tree, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300
    url = "/api/v2/pages/?type=pages.StandardPage&fields=introduction"
    assert get(client, url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        cached = get(client, url, HTTP_ORIGIN="https://infra-finder.example")
    assert cached["X-Page-Cache"] == "hit" and cached["Access-Control-Allow-Origin"] == "*"
    assert "s-maxage=60" in cached["Cache-Control"]

    about = site_tree.about
    with django_capture_on_commit_callbacks(execute=True):
        about.introduction = "Newly published."
        about.save_revision().publish()
    fresh = get(client, url)
    assert fresh["X-Page-Cache"] == "miss" and "Newly published." in fresh.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        about.unpublish()
    assert json.loads(get(client, url).content)["items"] == []


# A listing with its default fields (uncached, SQLite, nothing kept per generation): the site,
# its home page's tree in each language, the restrictions, the private aliases, the count, the
# page of results and the site's locales (each item names its language). `fields=*` adds the
# related objects of each item (hero images, pages in streams), at most WAGTAILAPI_LIMIT_MAX
# items' worth (docs/api.md).
API_LISTING_QUERIES = 7


@pytest.mark.django_db
@pytest.mark.parametrize("initiatives", [5, 40])
@pytest.mark.parametrize(
    "url", ["/api/v2/pages/?type=pages.InitiativePage&limit=50", "/api/v2/pages/?limit=50"]
)
def test_the_listing_costs_a_fixed_number_of_queries(
    client, site_tree, initiatives, url, django_assert_num_queries
):
    build_initiatives(site_tree.index, initiatives, start=10, indexed=False)
    # Warmed by the same listing: Django reads each content type once per process, so whether
    # the listed pages' types are read already depends on the tests this process ran before
    # (seen: a seventh query, a content type, in one order of the suite's tests).
    client.get(url)
    with django_assert_num_queries(API_LISTING_QUERIES):
        response = client.get(url)
    # The test site's other pages: home, the initiatives index, impact, contact, about, and the
    # research, news and people sections (two publications and two posts).
    others = 0 if "type=" in url else 12
    assert len(json.loads(response.content)["items"]) == min(50, 3 + initiatives + others)


# As in production (SHARED_PARTS_CACHE): the request's site, and whether any page is private at
# all, are kept per cache generation as the pages' routing keeps them; a listing then costs the
# count, the page of results and the site's locales the first time it is asked for in a
# generation, and nothing after (its answer is kept: PublicReadOnly.kept_answer).
API_LISTING_QUERIES_KEPT = 3


@pytest.fixture
def kept_per_generation(settings):
    settings.SHARED_PARTS_CACHE = True
    forget()
    yield
    forget()


@pytest.mark.django_db
def test_with_the_site_kept_a_listing_costs_three_queries_and_a_page_made_private_leaves_at_once(
    client,
    site_tree,
    kept_per_generation,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    url = "/api/v2/pages/?limit=50"
    get(client, "/api/v2/pages/?limit=49")  # the site and "nothing is private" kept
    with django_assert_num_queries(API_LISTING_QUERIES_KEPT):
        listed = json.loads(get(client, url).content)
    with django_assert_num_queries(0):
        assert json.loads(get(client, url).content) == listed
    about = site_tree.about
    assert about.pk in {item["id"] for item in listed["items"]}
    assert get(client, f"/api/v2/pages/{about.pk}/").status_code == 200

    # The first restriction on the site: kept "nothing is private" must not outlive it.
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=about, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
        )
    listed = json.loads(get(client, url).content)
    assert about.pk not in {item["id"] for item in listed["items"]}
    assert get(client, f"/api/v2/pages/{about.pk}/").status_code == 404
    assert listed["meta"]["total_count"] == len(listed["items"]) > 3


@pytest.mark.django_db
def test_a_kept_answer_shows_a_publish_on_the_next_request_and_a_search_is_never_kept(
    client,
    site_tree,
    kept_per_generation,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    about = site_tree.about
    urls = ["/api/v2/pages/?fields=title", f"/api/v2/pages/{about.pk}/"]
    for url in urls:
        get(client, url)
        assert '"About"' in get(client, url).content.decode(), url  # kept
    searched = "/api/v2/pages/?search=About"
    get(client, searched)

    about.title = "Who we are"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    for url in urls:
        text = get(client, url).content.decode()
        assert '"Who we are"' in text and '"About"' not in text, url
    # A search asks the index every time: never the kept answer, even within a generation.
    with pytest.raises(pytest.fail.Exception), django_assert_max_num_queries(0):
        get(client, searched)


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [False, True])
def test_a_search_finds_a_public_page_by_its_title_in_every_language(
    client, site_tree, settings, kept
):
    """The listing's tree is filtered by `path`, which search may filter on (by `url_path`
    every search was refused with a 400)."""
    settings.SHARED_PARTS_CACHE = kept
    forget()
    about = site_tree.about
    about.title = "Governance principles"  # "about" is a stop word in PostgreSQL's English
    about.save_revision().publish()
    translate(site_tree.home, title="Inicio")
    spanish = translate(about, title="Principios de gobernanza", slug="principios")
    for words, found in (("Governance", about.pk), ("gobernanza", spanish.pk)):
        response = get(client, f"/api/v2/pages/?search={words}")
        assert response.status_code == 200, response.content
        assert found in {item["id"] for item in json.loads(response.content)["items"]}, words
    forget()
