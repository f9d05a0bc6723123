"""Two gunicorn servers with production settings, sharing one database and one cache, as behind
a load balancer: a page published through one is served changed by the other on the next
request; a signed-in editor's page and a preview never reach an anonymous reader; with Redis
stopped mid-test, pages come slower but never as errors.

Each test runs twice: with a Redis (several machines) and with the file cache production uses
without REDIS_URL (one machine, every process reading and writing the same folder).

The Redis here is a server of the test's own, on a free port, so that stopping it stops
nothing else. Without `redis-server` installed the Redis runs are skipped (IOI_REQUIRE_REDIS=1,
set by .ci/run, makes that a failure)."""

import re
import sqlite3
import sys

import httpx
import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from .second_factor import SecondFactorOverHTTP
from .servers import PASSWORD, copy_site, site_env, start_gunicorn, start_redis, stop


@pytest.fixture(scope="module")
def redis_server():
    process = start_redis()
    yield process
    stop(process)


@pytest.fixture(scope="module", params=["redis", "files"])
def servers(request, tmp_path_factory, released_site):
    """The module's copy of the seeded site (conftest.py: released_site) on a SQLite file,
    served by two gunicorn masters (A and B) sharing a Redis, or the file cache in one folder."""
    workdir = tmp_path_factory.mktemp(f"two-servers-{request.param}")
    copy_site(released_site, workdir)
    redis_port = request.getfixturevalue("redis_server").port if request.param == "redis" else None
    env = site_env(workdir, redis_port)
    processes, urls = [], []
    try:
        for _ in range(2):
            process, url = start_gunicorn(env)
            processes.append(process)
            urls.append(url)
        with sqlite3.connect(workdir / "site.sqlite3") as db:
            about_id = db.execute(
                "SELECT id FROM wagtailcore_page WHERE url_path = '/home/about/'"
            ).fetchone()[0]
        yield urls, about_id, request.param
    finally:
        for process in processes:
            stop(process)


def reader_client():
    """An anonymous reader behind the load balancer, which sends the site's one host name to
    every server."""
    return httpx.Client(timeout=20, headers={"Host": "127.0.0.1"})


# Production asks the administrator for a second factor: set up at the first sign-in, a recovery
# code at the next.
SECOND_FACTOR = SecondFactorOverHTTP()


def signed_in(base_url):
    client = httpx.Client(base_url=base_url, timeout=20)
    return SECOND_FACTOR.sign_in(client, base_url, "admin", PASSWORD)


def about_form(client, about_id, introduction, **extra):
    edit = client.get(f"/admin/pages/{about_id}/edit/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', edit.text).group(1)
    data = nested_form_data(
        {
            "title": "About IOI",
            "slug": "about",
            "introduction": introduction,
            "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )
    data["csrfmiddlewaretoken"] = token
    return data


pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)"),
    pytest.mark.same_on_every_database,  # its site is a SQLite file of its own
]


def test_a_publish_through_one_server_is_served_by_the_other_on_the_next_request(servers):
    (a, b), about_id, _ = servers
    reader = reader_client()
    reader.get(f"{b}/about/")
    assert reader.get(f"{b}/about/").headers["X-Page-Cache"] == "hit"
    assert reader.get(f"{a}/about/").headers["X-Page-Cache"] == "hit"  # one shared cache

    editor = signed_in(a)
    data = about_form(editor, about_id, "Published through server A.", **{"action-publish": "1"})
    response = editor.post(
        f"/admin/pages/{about_id}/edit/", data=data, headers={"Referer": f"{a}/admin/"}
    )
    assert response.status_code == 302

    response = reader.get(f"{b}/about/")
    assert "Published through server A." in response.text
    assert response.headers["X-Page-Cache"] == "miss"


def test_an_editors_page_and_a_preview_never_reach_a_reader(servers):
    (a, b), about_id, _ = servers
    editor = signed_in(a)
    editor_view = editor.get("/about/")
    assert "wagtail-userbar" in editor_view.text
    assert "private" in editor_view.headers["Cache-Control"]

    data = about_form(editor, about_id, "Secret draft words in a preview.")
    preview_url = f"/admin/pages/{about_id}/edit/preview/"
    assert editor.post(preview_url, data=data, headers={"Referer": a}).json()["is_valid"]
    assert "Secret draft words" in editor.get(preview_url).text

    reader = reader_client()
    for server in (a, b, a, b):
        html = reader.get(f"{server}/about/").text
        assert "wagtail-userbar" not in html
        assert "Secret draft words" not in html


def test_with_redis_stopped_pages_are_slower_but_never_errors(servers, request):
    (a, b), _, store = servers
    if store != "redis":
        pytest.skip("the file cache has no server to stop")
    redis_server = request.getfixturevalue("redis_server")
    reader = reader_client()
    paths = ["/", "/initiatives/", "/impact/", "/about/", "/resources/", "/contact/"]
    for path in paths:
        reader.get(f"{a}{path}")

    stop(redis_server)
    for _ in range(3):
        for server in (a, b):
            for path in paths:
                response = reader.get(f"{server}{path}")
                assert response.status_code == 200, (server, path, response.status_code)
                assert response.headers.get("X-Page-Cache") != "hit"
