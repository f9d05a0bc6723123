"""Real servers for the tests that run the site as it is deployed: gunicorn with production
settings, the shipped nginx front, a Redis of the test's own and a mail server that keeps what
it is sent. Everything listens on 127.0.0.1, on a free port, and is stopped by the test that
started it, through its own process group, never by name.

Without `redis-server` or `nginx` installed the tests that need them are skipped
(IOI_REQUIRE_REDIS=1 and IOI_REQUIRE_NGINX=1, set by .ci/run, make that a failure)."""

import os
import re
import secrets
import shutil
import signal
import socket
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from .databases import exclusive

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PASSWORD = "a long password for the cache test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def stop(process):
    """End a process this test started, and everything it started, then reap it. A stopped
    (SIGSTOP) process is continued first, so that it can end."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGCONT)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def required(binary, why, variable):
    """The path of a server binary, or a skip (a failure when `variable`=1, as in CI)."""
    found = shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if found:
        return found
    reason = f"{binary} is not installed: {why}."
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} {variable}=1 makes this a failure.")
    pytest.skip(reason)


def production_env(workdir, **variables):
    """Production settings as a deployer sets them, with the test's own secret and folders."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SITE_URL", "DJANGO_ALLOWED_HOSTS"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_CACHE_DIR=str(workdir / "cache"),
        DJANGO_LOG_LEVEL="ERROR",
        GUNICORN_ACCESS_LOG="",
    )
    env.update(variables)
    return env


def site_env(workdir, redis_port, **extra):
    """Production settings for the seeded site on a SQLite file in workdir, served over plain
    http at 127.0.0.1, with the page cache on and the Redis on redis_port (None: no Redis)."""
    env = production_env(
        workdir,
        DJANGO_SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir}/site.sqlite3",
        PAGE_CACHE_SECONDS="300",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    env.update(extra)
    if redis_port is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    return env


# The static files collected with their manifest but not compressed: that takes seconds and
# nothing here reads the compressed copies. The storage is swapped with override_settings, whose
# signal resets Django's storages: django.setup() has already made them, and changing
# settings.STORAGES in place was ignored (the files were compressed, some 12 s of CPU).
COLLECT_STATIC = (
    "import django; django.setup(); from django.core.management import call_command as run; "
    "from django.conf import settings; from django.test.utils import override_settings; "
    "manifest = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
    "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}; "
    "override_settings(STORAGES=manifest).enable(); "
    "run('collectstatic', interactive=False, verbosity=0); "
)


def build_site(env):
    """The release steps, in one process rather than four (each start-up costs seconds), and an
    administrator. (The deployment drill runs the steps exactly as docs/deployment.md lists
    them.)"""
    release = (
        COLLECT_STATIC + "run('migrate', interactive=False, verbosity=0); "
        "run('load_ioi_content', verbosity=0); "
        "run('createsuperuser', interactive=False, username='admin', email='a@b.org')"
    )
    subprocess.run([PYTHON, "-c", release], env=env, cwd=ROOT, check=True, capture_output=True)


def collect_static(env):
    """The static files alone, as `build_site` collects them, into env's DJANGO_STATIC_ROOT."""
    subprocess.run(
        [PYTHON, "-c", COLLECT_STATIC], env=env, cwd=ROOT, check=True, capture_output=True
    )


def released_site(folder, migrated=None):
    """The seeded site as `build_site` makes it (production settings, a SQLite file, static files
    collected, an administrator), built once per run in `folder`, the run's shared folder, by
    whichever process asks first; the others wait for it. Returns its folder.

    `migrated`: a SQLite file the same migrations have already made (the test database's
    migrated copy, on a SQLite run). The build starts from a copy of it instead of running the
    migrations a second time (some 20 s of a core); its `migrate` then finds nothing to apply
    and does what every release's does (the default Site to DJANGO_SITE_URL, the languages)."""
    site = folder / "released-site"
    with exclusive(folder / "released-site.lock"):
        if not (site / "ready").exists():
            site.mkdir(exist_ok=True)
            if migrated is not None:
                copy_database(migrated, site / "site.sqlite3")
            build_site(site_env(site, None))
            (site / "ready").touch()
    return site


def copy_database(source, target):
    """A SQLite file copied through SQLite's backup API, so nothing half-written is copied."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def copy_site(released, workdir):
    """A module's own copy of the released site's database in workdir (SQLite's backup API, so
    nothing half-written is copied), and the collected static files, which nothing changes."""
    copy_database(released / "site.sqlite3", workdir / "site.sqlite3")
    (workdir / "static").symlink_to(released / "static")


def manage(env, *args, check=True):
    """`python manage.py ...` in a process of its own, as a release step or cron line runs."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result


def start_gunicorn(env, workers=1, log=None):
    """gunicorn serving the site on a free port; returns the process and its base URL once it
    accepts connections. Its log goes to `log` (an open file) if given."""
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "-c", "ioisite/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "error", "ioisite.wsgi"],
        env=env,
        cwd=ROOT,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_answers(port) or process.poll() is not None, 60, "gunicorn")
    except AssertionError:
        stop(process)
        raise
    assert process.poll() is None, "gunicorn stopped at start-up"
    return process, f"http://127.0.0.1:{port}"


def start_redis(port=None):
    """A redis-server of the test's own, answering on 127.0.0.1; stop() it when done."""
    binary = required("redis-server", "this test needs a Redis of its own", "IOI_REQUIRE_REDIS")
    port = port or free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_answers(port), 10, "Redis starting")
    except AssertionError:
        stop(process)
        raise
    process.port = port
    return process


NGINX_MAIN = """\
{user}daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log error;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {site};
}}
"""


def start_nginx(env, workdir, upstream, *options):
    """The shipped front (`manage.py nginx_config`), inside the smallest main configuration
    Debian's /etc/nginx/nginx.conf would give it."""
    binary = required(
        "nginx", "the front for gunicorn is tested with Debian's nginx", "IOI_REQUIRE_NGINX"
    )
    port = free_port()
    folder = workdir / "nginx"
    folder.mkdir(exist_ok=True)
    site = folder / "site.conf"
    manage(
        env,
        "nginx_config",
        "--upstream",
        urlsplit(upstream).netloc,
        "--listen",
        f"127.0.0.1:{port}",
        "--output",
        str(site),
        *options,
    )
    main = folder / "nginx.conf"
    # As root nginx's workers would run as nobody, who cannot read pytest's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(NGINX_MAIN.format(user=user, dir=folder, site=site))
    test = subprocess.run(
        [binary, "-t", "-c", str(main), "-p", str(folder)], capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr
    process = subprocess.Popen([binary, "-c", str(main), "-p", str(folder)], start_new_session=True)
    wait_for(lambda: port_answers(port) or process.poll() is not None, 10, "nginx starting")
    assert process.poll() is None, (folder / "error.log").read_text()
    return process, port


class MailServer(socketserver.ThreadingTCPServer):
    """A mail server that keeps every message it is sent, and each one's envelope recipients:
    just enough SMTP for Django's backend. It serves from a thread of its own until close()."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages = []  # email.message.EmailMessage, as received
        self.received = []  # the envelope recipients of each, lower-cased
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def close(self):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=10)


class SMTPHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 test mail server")
        recipients, data, reading_data = [], [], False
        for _ in range(100_000):  # lines in one connection: far more than a few emails take
            line = self.rfile.readline(65_536)
            if not line:
                return
            if reading_data:
                if line.rstrip(b"\r\n") != b".":
                    data.append(line[1:] if line.startswith(b"..") else line)
                    continue
                message = message_from_bytes(b"".join(data), policy=policy.default)
                with self.server.lock:
                    self.server.messages.append(message)
                    self.server.received.append(tuple(recipients))
                recipients, data, reading_data = [], [], False
                self.reply("250 kept")
                continue
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO", "MAIL", "RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>").lower())
                self.reply("250 ok")
            elif verb == "DATA":
                reading_data = True
                self.reply("354 end with .")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class LoadBalancer(httpx.HTTPTransport):
    """Stands in for the load balancer that terminates TLS: the client speaks to
    https://<public host>/ (so secure cookies and redirects behave as in a browser), and the
    request goes on as plain http to the front on 127.0.0.1, saying X-Forwarded-Proto: https."""

    def __init__(self, port):
        super().__init__()
        self.port = port

    def handle_request(self, request):
        # A new request: the client keeps its own, on the public address, for its cookies.
        headers = request.headers.copy()
        headers["X-Forwarded-Proto"] = request.url.scheme
        forwarded = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port),
            headers=headers,
            stream=request.stream,
        )
        return super().handle_request(forwarded)


def visitor(site, port):
    """A browser on the public address, through the load balancer to the front at `port`."""
    return httpx.Client(base_url=site, transport=LoadBalancer(port), timeout=30)
