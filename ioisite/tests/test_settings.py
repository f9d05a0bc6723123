"""Which settings run where, and production's refusal to start without its secrets.

A settings module is read in this process where only its values are asked about
(`settings_under`); `manage.py` and `ioisite.wsgi` run in processes of their own where what is
tested is that a process starts, or refuses to."""

import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from conftest import clean_env

GOOD_KEY = "k" * 50
SETTINGS_PACKAGE = "ioisite.settings"


def settings_under(name, monkeypatch, **env):
    """The settings module `name` (with the base it imports) as a fresh process would read it
    under exactly this environment: its values as a namespace, or the ImproperlyConfigured it
    raises. The running site's own settings modules are put back afterwards."""
    for variable in list(os.environ):
        if variable.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_")):
            monkeypatch.delenv(variable)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    package = importlib.import_module(SETTINGS_PACKAGE)
    kept = {
        module: sys.modules.pop(module)
        for module in [f"{SETTINGS_PACKAGE}.base", f"{SETTINGS_PACKAGE}.{name}"]
        if module in sys.modules
    }
    kept_attributes = {
        attr: getattr(package, attr) for attr in ("base", name) if hasattr(package, attr)
    }
    try:
        return vars(importlib.import_module(f"{SETTINGS_PACKAGE}.{name}")).copy()
    finally:
        for module in [f"{SETTINGS_PACKAGE}.base", f"{SETTINGS_PACKAGE}.{name}"]:
            sys.modules.pop(module, None)
        sys.modules.update(kept)
        for attr in ("base", name):
            if attr in kept_attributes:
                setattr(package, attr, kept_attributes[attr])
            elif hasattr(package, attr):
                delattr(package, attr)


def production_refuses(monkeypatch, **env):
    """The message production's settings refuse to start with under this environment."""
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_under("production", monkeypatch, **env)
    return str(refused.value)


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


def test_production_refuses_a_short_secret_key(monkeypatch):
    refusal = production_refuses(
        monkeypatch, DJANGO_SECRET_KEY="short", DJANGO_SITE_URL="https://x.org"
    )
    assert "at least 32 characters" in refusal


def test_production_refuses_to_start_without_its_address(monkeypatch):
    refusal = production_refuses(monkeypatch, DJANGO_SECRET_KEY=GOOD_KEY)
    assert "DJANGO_SITE_URL must be set to the site's public address" in refusal


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
def test_production_refuses_an_address_it_could_not_build_urls_from(monkeypatch, address):
    refusal = production_refuses(monkeypatch, DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_SITE_URL=address)
    assert "DJANGO_SITE_URL" in refusal and repr(address.rstrip("/")) in refusal


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


def test_production_reads_its_switches_from_the_environment(monkeypatch, tmp_path):
    production = settings_under(
        "production",
        monkeypatch,
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SITE_URL="http://a.org:8080",
        DJANGO_ALLOWED_HOSTS="b.org, a.org",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL="postgres://u@127.0.0.1:5432/ioi",
        REDIS_URL="redis://127.0.0.1:6379/3",
        DJANGO_MEDIA_ROOT=str(tmp_path),
    )
    assert production["DEBUG"] is False and production["ALLOWED_HOSTS"] == ["a.org", "b.org"]
    assert production["WAGTAILADMIN_BASE_URL"] == "http://a.org:8080"
    assert production["SECURE_SSL_REDIRECT"] is False and production["SECURE_HSTS_SECONDS"] == 0
    database = production["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["OPTIONS"]["connect_timeout"] == 5 and database["CONN_HEALTH_CHECKS"]
    assert str(production["MEDIA_ROOT"]) == str(tmp_path)
    assert production["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"


def test_production_without_redis_shares_its_cache_in_files_and_redirects_to_https(
    monkeypatch, tmp_path
):
    production = settings_under(
        "production",
        monkeypatch,
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SITE_URL="https://investinopen.org",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    cache = production["CACHES"]["default"]
    assert cache["BACKEND"] == "pages.caching.filecache.SharedFileCache"
    assert cache["LOCATION"] == str(tmp_path / "cache")
    assert production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"]
    assert production["SECURE_HSTS_SECONDS"] == 31_536_000
    assert production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"]
    # The running site's own policy is a different object, left as it was.
    assert "upgrade-insecure-requests" not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert "connect_timeout" not in production["DATABASES"]["default"].get("OPTIONS", {})


def test_development_settings_are_for_one_machine_only(monkeypatch):
    dev = settings_under("dev", monkeypatch)
    assert dev["DEBUG"] is True and dev["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert dev["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_a_mistyped_switch_is_an_error_not_a_guess(monkeypatch):
    refusal = production_refuses(
        monkeypatch,
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SITE_URL="https://a.org",
        DJANGO_SECURE_SSL_REDIRECT="maybe",
    )
    assert "DJANGO_SECURE_SSL_REDIRECT must be 1 or 0" in refusal


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
    """ioisite/gunicorn.py as gunicorn reads it (a module made from the file), under this
    environment."""
    import importlib.util

    for name in ["GUNICORN_BIND", "PORT", "GUNICORN_WORKERS", "GUNICORN_ACCESS_LOG"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = settings.BASE_DIR / "ioisite" / "gunicorn.py"
    spec = importlib.util.spec_from_file_location("gunicorn_config", path)
    config = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(config)
    return vars(config)


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
