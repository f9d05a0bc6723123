"""Whole processes for the tests that need them: a Redis of the test's own, and the seeded site
served by gunicorn with production settings. Everything listens on 127.0.0.1, on a free port;
each process is stopped through its own process group, never by name.

Without `redis-server` installed the tests that need it are skipped (IOI_REQUIRE_REDIS=1, set
by .ci/run, makes that a failure)."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def start_redis(port=None):
    """A redis-server of the test's own, answering on 127.0.0.1; stop() it when done."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed: this test needs a Redis of its own."
        if os.environ.get("IOI_REQUIRE_REDIS") == "1":
            pytest.fail(reason + " IOI_REQUIRE_REDIS=1 makes this a failure.")
        pytest.skip(reason)
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


def site_env(workdir, redis_port, **extra):
    """Production settings for the seeded site on a SQLite file in workdir, with the Redis on
    redis_port (None: no Redis, each process its own memory cache)."""
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DATABASE_URL=f"sqlite:///{workdir}/site.sqlite3",
        PAGE_CACHE_SECONDS="300",
        GUNICORN_ACCESS_LOG="",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.update(extra)
    if redis_port is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    # Other tests cover what these processes run; measuring them here would only slow them.
    return {k: v for k, v in env.items() if not k.startswith("COVERAGE_")}


def build_site(env):
    """The release steps, in one process rather than four (each start-up costs seconds). The
    static files are collected with their manifest but not compressed: that takes seconds and
    nothing here reads the compressed copies."""
    release = (
        "import django; django.setup(); from django.core.management import call_command as run; "
        "from django.conf import settings; settings.STORAGES['staticfiles']['BACKEND'] = "
        "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'; "
        "run('migrate', interactive=False, verbosity=0); "
        "run('collectstatic', interactive=False, verbosity=0); "
        "run('load_ioi_content', verbosity=0); "
        "run('createsuperuser', interactive=False, username='admin', email='a@b.org')"
    )
    subprocess.run([PYTHON, "-c", release], env=env, cwd=ROOT, check=True, capture_output=True)


def start_gunicorn(env, workers=1, log=None):
    """gunicorn serving the site on a free port; returns the process and its base URL once it
    accepts connections. Its log goes to `log` (an open file) if given."""
    port = free_port()
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", "ioisite/gunicorn.py", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--log-level", "error", "ioisite.wsgi"],
        env=env,
        cwd=ROOT,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_for(lambda: port_answers(port), 30, "gunicorn")
    except AssertionError:
        stop(process)
        raise
    return process, f"http://127.0.0.1:{port}"
