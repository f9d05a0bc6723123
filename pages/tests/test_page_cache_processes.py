"""Two gunicorn servers with production settings, sharing one database and one Redis, as behind
a load balancer: a page published through one is served changed by the other on the next
request; a signed-in editor's page and a preview never reach an anonymous reader; with Redis
stopped mid-test, pages come slower but never as errors.

The Redis here is a server of the test's own, on a free port, so that stopping it stops
nothing else. Without `redis-server` installed the test is skipped (IOI_REQUIRE_REDIS=1, set by
.ci/run, makes that a failure)."""

import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PASSWORD = "a long password for the cache test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed: the two-process cache test needs its own Redis."
        if os.environ.get("IOI_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " IOI_REQUIRE_REDIS=1 makes this a failure.")
        pytest.skip(reason)
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(lambda: port_answers(port), 10, "Redis starting")
    yield process, port
    stop(process)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, redis_server):
    """The seeded site on a SQLite file, served by two gunicorn masters (A and B)."""
    _, redis_port = redis_server
    workdir = tmp_path_factory.mktemp("two-servers")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DATABASE_URL=f"sqlite:///{workdir}/site.sqlite3",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        PAGE_CACHE_SECONDS="300",
        GUNICORN_ACCESS_LOG="",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_LOG_LEVEL="ERROR",
    )
    # The release steps, in one process rather than four (each start-up costs seconds). The
    # static files are collected with their manifest but not compressed: that takes seconds and
    # nothing here reads the compressed copies.
    release = (
        "import django; django.setup(); from django.core.management import call_command as run; "
        "from django.conf import settings; settings.STORAGES['staticfiles']['BACKEND'] = "
        "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'; "
        "run('migrate', interactive=False, verbosity=0); "
        "run('collectstatic', interactive=False, verbosity=0); "
        "run('load_ioi_content', verbosity=0); "
        "run('createsuperuser', interactive=False, username='admin', email='a@b.org')"
    )
    # Other tests cover what these processes run; measuring them here would only slow them.
    env = {k: v for k, v in env.items() if not k.startswith("COVERAGE_")}
    subprocess.run([PYTHON, "-c", release], env=env, cwd=ROOT, check=True, capture_output=True)
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        gunicorn = str(Path(PYTHON).parent / "gunicorn")
        processes.append(
            subprocess.Popen(
                [gunicorn, "-c", "ioisite/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "1", "--log-level", "error", "ioisite.wsgi"],
                env=env,
                cwd=ROOT,
                start_new_session=True,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        wait_for(lambda url=url: port_answers(int(url.rsplit(":", 1)[1])), 30, "gunicorn")
    with sqlite3.connect(workdir / "site.sqlite3") as db:
        about_id = db.execute(
            "SELECT id FROM wagtailcore_page WHERE url_path = '/home/about/'"
        ).fetchone()[0]
    yield urls, about_id
    for process in processes:
        stop(process)


def reader_client():
    """An anonymous reader behind the load balancer, which sends the site's one host name to
    every server."""
    return httpx.Client(timeout=20, headers={"Host": "127.0.0.1"})


def signed_in(base_url):
    client = httpx.Client(base_url=base_url, timeout=20)
    page = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/admin/login/",
        data={"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/admin/login/"},
    )
    assert response.status_code == 302, "could not sign in"
    return client


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


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)")


def test_a_publish_through_one_server_is_served_by_the_other_on_the_next_request(servers):
    (a, b), about_id = servers
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
    (a, b), about_id = servers
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


def test_with_redis_stopped_pages_are_slower_but_never_errors(servers, redis_server):
    (a, b), _ = servers
    redis_process, _ = redis_server
    reader = reader_client()
    paths = ["/", "/initiatives/", "/impact/", "/about/", "/resources/", "/contact/"]
    for path in paths:
        reader.get(f"{a}{path}")

    stop(redis_process)
    for _ in range(3):
        for server in (a, b):
            for path in paths:
                response = reader.get(f"{server}{path}")
                assert response.status_code == 200, (server, path, response.status_code)
                assert response.headers.get("X-Page-Cache") != "hit"
