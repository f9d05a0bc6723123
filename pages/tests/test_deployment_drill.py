"""The deployment drill: docs/deployment.md followed to the letter on PostgreSQL and Redis.

Production settings with DJANGO_SITE_URL=https://ioi.test; the release steps read from the
runbook and run as written; two gunicorn workers behind the shipped nginx front, a load
balancer's headers in front of that; a mail server and, later, a task worker. Then what a reader,
an editor and staff would notice: every address says https://ioi.test, search finds the seeded
pages before any worker has run, an uploaded image is served, a publish (through the admin and
through `publish_scheduled`) shows on both workers at once, a contact message is emailed once
with a link to the admin, a deleted image's files go once the worker runs.

It needs PostgreSQL and Redis, so it runs where the suite does (.ci/run's second pass sets
DATABASE_URL and REDIS_URL); it makes a database of its own on that PostgreSQL server and starts
a Redis of its own."""

import os
import re
import secrets
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from io import BytesIO
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core import signing
from PIL import Image as Picture
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from pages.contacts.forms import TOKEN_SALT

from .second_factor import SecondFactorOverHTTP
from .servers import (
    PYTHON,
    ROOT,
    MailServer,
    csrf_token,
    manage,
    production_env,
    start_gunicorn,
    start_nginx,
    start_redis,
    stop,
    visitor,
    wait_for,
)

SITE = "https://ioi.test"
PASSWORD = "a long password for the deployment drill"
RUNBOOK = ROOT / "docs" / "deployment.md"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)"),
    pytest.mark.skipif(
        not (DATABASE_URL.startswith("postgres") and os.environ.get("REDIS_URL")),
        reason="the deployment drill needs PostgreSQL and Redis: it runs when DATABASE_URL "
        "names a PostgreSQL server and REDIS_URL is set (.ci/run's second pass)",
    ),
]


def runbook_block(marker):
    """The lines of the code block after `<!-- marker... -->` in docs/deployment.md."""
    text = RUNBOOK.read_text()
    block = re.search(rf"<!-- {marker}\b.*?-->\n```[a-z]*\n(.*?)```", text, re.S)
    assert block, f"docs/deployment.md has no {marker} block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def run_documented(env, line):
    """A documented command as written: `python` is this virtual environment's."""
    words = shlex.split(line.split("#", 1)[0])
    assert words[:2] == ["python", "manage.py"], line
    result = subprocess.run(
        [PYTHON, *words[1:]], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{line}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker):
    """A database of the drill's own as the migrations leave it: made from the run's migrated
    template (pages/tests/databases.py) rather than by a second run of the same migrations on
    the same server (some 20 s of a core; the test database's build runs them with `migrate`).
    The release steps' `migrate` then has nothing to apply, as at every release but the first,
    and still does what each release's does (the default Site to DJANGO_SITE_URL)."""
    import psycopg

    name = f"ioi_drill_{secrets.token_hex(4)}"
    parts = urlsplit(DATABASE_URL)
    server = urlunsplit(parts._replace(path="/postgres"))
    with django_db_blocker.unblock():
        django_db_setup.postgres_migrated_database(name)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, database):
    workdir = tmp_path_factory.mktemp("drill")
    redis = start_redis()
    mail = MailServer()
    env = production_env(
        workdir,
        DATABASE_URL=database,
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        DJANGO_SITE_URL=SITE,
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(mail.port),
        DJANGO_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    processes = [redis]
    try:
        for line in runbook_block("release-steps"):
            run_documented(env, line)
        manage(env, "createsuperuser", "--noinput", "--username", "admin", "--email", "a@b.org")
        app, app_url = start_gunicorn(env, workers=2)
        processes.append(app)
        nginx, port = start_nginx(env, workdir, app_url, "--behind-proxy")
        processes.append(nginx)
        yield {
            "env": env,
            "port": port,
            "mail": mail,
            "media": workdir / "media",
            "processes": processes,
        }
    finally:
        for process in reversed(processes):
            stop(process)
        mail.close()


def through_the_front(deployment):
    return visitor(SITE, deployment["port"])


def signed_in(deployment):
    """The administrator, with the password and then the second factor production asks for
    (an authenticator app, set up at this first sign-in)."""
    return SecondFactorOverHTTP().sign_in(through_the_front(deployment), SITE, "admin", PASSWORD)


def page_id(env, url_path):
    code = f"from wagtail.models import Page; print(Page.objects.get(url_path={url_path!r}).id)"
    return int(manage(env, "shell", "-c", code).stdout.split()[-1])


def publish_about(editor, about_id, introduction):
    edit = editor.get(f"/admin/pages/{about_id}/edit/")
    data = nested_form_data(
        {
            "title": "About IOI",
            "slug": "about",
            "introduction": introduction,
            "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    data["csrfmiddlewaretoken"] = csrf_token(edit.text)
    response = editor.post(
        f"/admin/pages/{about_id}/edit/", data=data, headers={"Referer": f"{SITE}/admin/"}
    )
    assert response.status_code == 302, response.text[:500]


def upload_image(editor):
    buffer = BytesIO()
    Picture.new("RGB", (1600, 900), (11, 79, 108)).save(buffer, "PNG")
    form = editor.get("/admin/images/add/")
    response = editor.post(
        "/admin/images/add/",
        data={"title": "Workshop", "csrfmiddlewaretoken": csrf_token(form.text)},
        files={"file": ("workshop.png", buffer.getvalue(), "image/png")},
        headers={"Referer": f"{SITE}/admin/images/add/"},
    )
    assert response.status_code == 302, response.text[:2000]
    listing = editor.get("/admin/images/").text
    image_id = int(re.search(r"/admin/images/(\d+)/", listing).group(1))
    return image_id


@pytest.mark.slow
def test_the_drill(deployment):
    env = deployment["env"]
    reader = through_the_front(deployment)

    # Search works before any worker has run.
    results = reader.get("/search/?q=infrastructure").text
    assert len(re.findall(r'class="search-result"', results)) >= 3, results[:2000]

    # An editor uploads an image; its rendition is served through the front.
    editor = signed_in(deployment)
    image_id = upload_image(editor)
    thumbnail = re.search(r'src="(/media/images/[^"]+)"', editor.get("/admin/images/").text)
    rendition = reader.get(thumbnail.group(1))
    assert rendition.status_code == 200 and rendition.headers["Content-Type"].startswith("image/")
    code = (
        "from pages.models import OrganisationSettings as O; from wagtail.images.models import "
        f"Image; o = O.load(); o.social_image = Image.objects.get(id={image_id}); o.save()"
    )
    manage(env, "shell", "-c", code)

    # Every absolute address is the public one.
    about = reader.get("/about/").text
    head = about.split("</head>", 1)[0]
    assert f'<link rel="canonical" href="{SITE}/about/">' in head
    assert f'<meta property="og:url" content="{SITE}/about/">' in head
    card = re.search(r'<meta property="og:image" content="([^"]+)"', head).group(1)
    assert card.startswith(f"{SITE}/media/images/")
    assert reader.get(urlsplit(card).path).status_code == 200
    ld = re.findall(r'"(?:url|item)": "([^"]+)"', head)
    assert ld and all(url.startswith(f"{SITE}/") for url in ld), ld
    locs = re.findall(r"<loc>([^<]+)</loc>", reader.get("/sitemap.xml").text)
    assert len(locs) >= 10 and all(loc.startswith(f"{SITE}/") for loc in locs), locs
    feed = ET.fromstring(reader.get("/feeds/initiatives/").content)
    links = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert links and all(link.startswith(f"{SITE}/") for link in links), links

    # A publish through the admin, then one through publish_scheduled: both workers serve it
    # on the next request (the shared page cache).
    about_id = page_id(env, "/home/about/")
    for _ in range(4):
        reader.get("/about/")  # cached by now, on both workers
    publish_about(editor, about_id, "Published through the admin.")
    for _ in range(20):
        assert "Published through the admin." in reader.get("/about/").text
    schedule = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from wagtail.models import Page; "
        "p = Page.objects.get(url_path='/home/about/').specific; "
        "p.introduction = 'Published on schedule.'; "
        "p.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))"
    )
    manage(env, "shell", "-c", schedule)
    cron = runbook_block("cron-lines")
    run_documented(
        env, next(line.split(None, 5)[5] for line in cron if "publish_scheduled" in line)
    )
    for _ in range(20):
        assert "Published on schedule." in reader.get("/about/").text

    # A visitor writes; no worker yet, so the email waits.
    reader.get("/contact/")
    token = signing.dumps(
        {"id": secrets.token_hex(16), "t": int(time.time()) - 30},
        key=env["DJANGO_SECRET_KEY"],
        salt=TOKEN_SALT,
    )
    response = reader.post(
        "/contact/",
        data={
            "name": "Ada Reader",
            "email": "ada@example.org",
            "message": "How do I apply to the fund?",
            "form_token": token,
        },
        headers={"Referer": f"{SITE}/contact/", "Origin": SITE},
    )
    assert response.status_code == 303, response.text[:2000]
    assert deployment["mail"].messages == []

    # An editor deletes the image: its files stay until the worker runs.
    files = sorted(p for p in deployment["media"].rglob("*") if p.is_file() and "images" in p.parts)
    assert files
    delete = editor.get(f"/admin/images/{image_id}/delete/")
    response = editor.post(
        f"/admin/images/{image_id}/delete/",
        data={"csrfmiddlewaretoken": csrf_token(delete.text)},
        headers={"Referer": f"{SITE}/admin/"},
    )
    assert response.status_code == 302
    assert all(path.exists() for path in files)

    # The worker starts: the email goes out once, the files go.
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deployment["processes"].append(worker)
    mail = deployment["mail"]
    wait_for(lambda: mail.messages, 60, "the contact email arriving")
    wait_for(lambda: not any(path.exists() for path in files), 60, "the image's files going")
    for line in cron:
        if "check_links" not in line:  # it goes online, which the tests never do
            run_documented(env, line.split(None, 5)[5])
    wait_for(lambda: reader.get("/healthz/tasks/").json()["waiting"] == 0, 30, "an empty queue")
    assert len(mail.messages) == 1
    email = mail.messages[0]
    body = email.get_body(("plain",)).get_content()
    assert "How do I apply to the fund?" in body
    assert re.search(rf"{SITE}/admin/snippets/pages/contactmessage/edit/\d+/", body), body
    assert reader.get("/healthz/tasks/").status_code == 200
    assert reader.get("/healthz/").json()["database"] == "ok"
