"""Which settings run where, and production's refusal to start without its secrets."""

import subprocess
import sys

import pytest
from django.conf import settings

from conftest import clean_env

GOOD_KEY = "k" * 50


def django_check(settings_module, **env):
    """Run `manage.py check` in a fresh process with exactly this environment."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=clean_env(DJANGO_SETTINGS_MODULE=settings_module, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = django_check("ioisite.settings.production", DJANGO_SITE_URL="https://example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = django_check(
        "ioisite.settings.production", DJANGO_SECRET_KEY="short", DJANGO_SITE_URL="https://x.org"
    )
    assert result.returncode != 0 and "at least 32 characters" in result.stderr


def test_production_refuses_to_start_without_its_address():
    result = django_check("ioisite.settings.production", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must be set to the site's public address" in result.stderr


@pytest.mark.parametrize(
    "address",
    [
        "investinopen.org",
        "https://investinopen.org/about/",
        "ftp://investinopen.org",
        "https://investinopen.org:8443",
        "https://investinopen.org:port",
    ],
)
def test_production_refuses_an_address_it_could_not_build_urls_from(address):
    result = django_check(
        "ioisite.settings.production", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_SITE_URL=address
    )
    assert result.returncode != 0 and "DJANGO_SITE_URL" in result.stderr
    assert repr(address.rstrip("/")) in result.stderr


@pytest.mark.slow
def test_production_starts_with_its_environment(tmp_path):
    result = django_check(
        "ioisite.settings.production",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SITE_URL="https://investinopen.org",
        DJANGO_ALLOWED_HOSTS="www.investinopen.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_production_reads_its_switches_from_the_environment(monkeypatch, tmp_path):
    script = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.WAGTAILADMIN_BASE_URL, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS,"
        " s.DATABASES['default']['ENGINE'], s.MEDIA_ROOT, s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="ioisite.settings.production",
            DJANGO_SECRET_KEY=GOOD_KEY,
            DJANGO_SITE_URL="http://a.org:8080",
            DJANGO_ALLOWED_HOSTS="b.org, a.org",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DATABASE_URL="postgres://u@127.0.0.1:5432/ioi",
            REDIS_URL="redis://127.0.0.1:6379/3",
            DJANGO_MEDIA_ROOT=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False ['a.org', 'b.org'] http://a.org:8080 False 0 "
        f"django.db.backends.postgresql {tmp_path} django_redis.cache.RedisCache"
    )


def test_a_mistyped_switch_is_an_error_not_a_guess():
    result = django_check(
        "ioisite.settings.production",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SITE_URL="https://a.org",
        DJANGO_SECURE_SSL_REDIRECT="maybe",
    )
    assert result.returncode != 0 and "DJANGO_SECURE_SSL_REDIRECT must be 1 or 0" in result.stderr


def run_python(*args):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_manage_py_uses_development_settings_by_default():
    result = run_python(
        "manage.py",
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SETTINGS_MODULE)",
    )
    assert result.stdout.strip().splitlines()[-1] == "ioisite.settings.dev", result.stderr


def test_wsgi_uses_production_settings_by_default():
    result = run_python("-c", "import ioisite.wsgi")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def gunicorn_config(monkeypatch, **env):
    """ioisite/gunicorn.py as gunicorn reads it, under this environment."""
    import runpy

    for name in ["GUNICORN_BIND", "PORT", "GUNICORN_WORKERS", "GUNICORN_ACCESS_LOG"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "ioisite" / "gunicorn.py"))


def test_gunicorn_takes_its_address_and_workers_from_the_environment(monkeypatch):
    import multiprocessing

    default = gunicorn_config(monkeypatch)
    assert default["bind"] == "0.0.0.0:8000"
    assert default["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert default["accesslog"] == "-" and default["preload_app"] is True
    assert default["max_requests"] == 20_000 and default["max_requests_jitter"] == 2_000

    platform = gunicorn_config(monkeypatch, PORT="5000", GUNICORN_WORKERS="3")
    assert (platform["bind"], platform["workers"]) == ("0.0.0.0:5000", 3)
    quiet = gunicorn_config(monkeypatch, GUNICORN_BIND="127.0.0.1:9000", GUNICORN_ACCESS_LOG="")
    assert (quiet["bind"], quiet["accesslog"]) == ("127.0.0.1:9000", None)
