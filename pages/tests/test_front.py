"""The site as docs/deployment.md deploys it on the smallest host: production settings, a SQLite
file, no Redis and no task worker, two gunicorn workers behind the shipped nginx front
(`manage.py nginx_config`), a load balancer in front of that terminating TLS for https://ioi.test.

What a visitor and an editor would notice: uploaded images are served, private documents are
not served from disk, a slow client cannot hold the workers, oversized uploads are refused at
the door, every address says https://ioi.test, search works before any worker has run, pages
come from a cache every worker shares (files, as there is no Redis), and a publish from another
process shows on every following request."""

import re
import socket
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from .servers import copy_site, manage, production_env, start_gunicorn, start_nginx, stop, visitor

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)"),
    pytest.mark.same_on_every_database,  # its site is a SQLite file of its own
]

SITE = "https://ioi.test"
WORKERS = 2

# The release steps that change something on a copy of the run's built site (conftest.py:
# released_site, which ran them all once): `migrate` points the Site at https://ioi.test. The
# deployment drill runs every step exactly as docs/deployment.md lists them.
RELEASE = """
from django.core.management import call_command as run
run("migrate", interactive=False, verbosity=0)
run("load_ioi_content", if_empty=True, verbosity=0)
"""

# Run in the release's process: an image an editor uploaded, with the rendition a page shows,
# and a document on disk.
UPLOAD = """
from io import BytesIO
from django.core.files.base import ContentFile
from PIL import Image as Picture
from wagtail.documents.models import Document
from wagtail.images.models import Image
buffer = BytesIO()
Picture.new("RGB", (800, 600), (11, 79, 108)).save(buffer, "PNG")
image = Image.objects.create(title="Workshop", file=ContentFile(buffer.getvalue(), "workshop.png"))
document = Document.objects.create(title="Board papers", file=ContentFile(b"private", "board.txt"))
print(image.get_rendition("fill-300x200|format-webp").url, document.file.url)
"""

# A publish from a third process, the way publish_scheduled or another server makes one.
PUBLISH = """
from wagtail.models import Page
about = Page.objects.get(url_path="/home/about/").specific
about.introduction = "Changed by a third process."
about.save_revision().publish()
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory, released_site):
    workdir = tmp_path_factory.mktemp("front")
    copy_site(released_site, workdir)
    env = production_env(
        workdir,
        DATABASE_URL=f"sqlite:///{workdir}/site.sqlite3",
        DJANGO_SITE_URL=SITE,
    )
    rendition, document = (
        manage(env, "shell", "-c", RELEASE + UPLOAD).stdout.splitlines()[-1].split()
    )
    app, app_url = start_gunicorn(env, workers=WORKERS)
    nginx, port = start_nginx(env, workdir, app_url, "--behind-proxy")
    reader = visitor(SITE, port)
    yield {
        "env": env,
        "workdir": workdir,
        "port": port,
        "visitor": reader,
        "rendition": rendition,
        "document": document,
    }
    reader.close()
    stop(nginx)
    stop(app)


def test_without_redis_pages_are_kept_in_files_every_worker_shares(front):
    visitor = front["visitor"]
    visitor.get("/initiatives/")
    for _ in range(2 * WORKERS):
        response = visitor.get("/initiatives/")
        assert response.headers["X-Page-Cache"] == "hit"
        assert "set-cookie" not in response.headers
    assert list((front["workdir"] / "cache").glob("*.djcache"))


def test_uploaded_images_are_served_with_a_long_lifetime(front):
    response = front["visitor"].get(front["rendition"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.content[:4] == b"RIFF"
    assert "max-age=2592000" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_documents_are_not_served_from_disk_past_wagtails_permission_check(front):
    assert front["document"].startswith("/media/documents/")
    assert front["visitor"].get(front["document"]).status_code == 404


def test_hashed_static_files_are_kept_a_year(front):
    home = front["visitor"].get("/").text
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home).group(1)
    response = front["visitor"].get(stylesheet)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def raw_request(port, head, timeout=5):
    """Sends a request's head (and no more of its body) and returns the status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head.encode())
        return s.recv(200).decode("latin-1").split("\r\n", 1)[0]


@pytest.mark.parametrize(
    ("path", "size"),
    [("/contact/", 5 * 1024 * 1024), ("/admin/images/add/", 50 * 1024 * 1024)],
)
def test_oversized_uploads_are_refused_before_they_are_sent(front, path, size):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: ioi.test\r\nContent-Type: multipart/form-data; "
        f"boundary=x\r\nContent-Length: {size}\r\n\r\n"
    )
    started = time.monotonic()
    assert raw_request(front["port"], head).startswith("HTTP/1.1 413")
    assert time.monotonic() - started < 2


READER_PATHS = ["/about/", "/initiatives/", "/search/?q=open"]


def test_slow_clients_cannot_hold_the_workers(front):
    """Twice as many stalled connections as there are workers: half stop in their headers,
    half promise a body they never send. A reader's request still answers at once: well
    inside the 10 s nginx gives a stalled client (client_header_timeout, client_body_timeout),
    which is how long a reader would wait if the stalled connections held the workers. The
    figure is printed; a quiet machine answers in a fifth of a second."""
    for path in READER_PATHS:  # drawn once first: the bound is about waiting, not drawing
        assert front["visitor"].get(path).status_code == 200
    stalled = []
    try:
        for n in range(2 * WORKERS):
            s = socket.create_connection(("127.0.0.1", front["port"]), timeout=5)
            if n % 2:
                s.sendall(b"GET /about/ HTTP/1.1\r\nHost: ioi.test\r\nX-Slow: ")
            else:
                s.sendall(
                    b"POST /contact/ HTTP/1.1\r\nHost: ioi.test\r\nContent-Type: "
                    b"application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nname=a"
                )
            stalled.append(s)
        time.sleep(0.2)  # let nginx take them all in
        timings = []
        for path in READER_PATHS:
            started = time.monotonic()
            response = front["visitor"].get(path)
            timings.append(time.monotonic() - started)
            assert response.status_code == 200
        print(f"\nslowest answer with {len(stalled)} stalled connections: {max(timings):.3f} s")
        assert max(timings) < 3
    finally:
        for s in stalled:
            s.close()


def test_every_address_is_the_public_one(front):
    about = front["visitor"].get("/about/").text
    assert f'<link rel="canonical" href="{SITE}/about/">' in about
    assert f'<meta property="og:url" content="{SITE}/about/">' in about
    sitemap = front["visitor"].get("/sitemap.xml").text
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locs) >= 10 and all(loc.startswith(f"{SITE}/") for loc in locs)
    feed = ET.fromstring(front["visitor"].get("/feeds/initiatives/").content)
    links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert links and all(link.startswith(f"{SITE}/") for link in links)


def test_search_finds_the_seeded_pages_before_any_worker_has_run(front):
    results = front["visitor"].get("/search/?q=infrastructure").text
    assert "No results" not in results
    assert len(re.findall(r'class="search-result', results)) >= 3


def test_a_publish_from_a_third_process_shows_on_every_following_request(front):
    """The page is in the shared cache first (a hit), so what is checked is the cache being
    emptied for both workers at once, not a page drawn anew by chance."""
    visitor = front["visitor"]
    for _ in range(2 * WORKERS):
        response = visitor.get("/about/")
        assert "Changed by a third process." not in response.text
    assert response.headers["X-Page-Cache"] == "hit"
    manage(front["env"], "shell", "-c", PUBLISH)
    for _ in range(20):
        assert "Changed by a third process." in visitor.get("/about/").text
