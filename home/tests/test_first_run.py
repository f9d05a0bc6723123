"""`make run` on a fresh clone (docs/first-run.md): the installer takes uv where it can have it and
pip where it cannot (.ci/install_requirements.py), a new database is built aside and moved into
place only when complete, and `run_site` sets the site up and serves it in one start-up of
Django. No test here reaches the internet: packages come from a wheel the test makes."""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.db import connections

from conftest import build_site, clean_env
from home import site_setup
from pages.tests.servers import ROOT, free_port, stop, wait_for

INSTALLER = ROOT / ".ci" / "install_requirements.py"
# The installer, a SQLite file and `make run`'s development settings, whatever database the
# suite runs on (pyproject.toml's markers).
same_on_every_database = pytest.mark.same_on_every_database
PROBE = "ioi_probe"


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def probe_wheel(folder):
    """A wheel of one empty module, the smallest thing pip and uv will install."""
    folder.mkdir()
    info = f"{PROBE}-1.0.dist-info"
    files = {
        f"{PROBE}/__init__.py": b"",
        f"{info}/METADATA": b"Metadata-Version: 2.1\nName: ioi-probe\nVersion: 1.0\n",
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = "\n".join([*(record_line(n, d) for n, d in files.items()), f"{info}/RECORD,,", ""])
    with zipfile.ZipFile(folder / f"{PROBE}-1.0-py3-none-any.whl", "w") as wheel:
        for name, data in {**files, f"{info}/RECORD": record.encode()}.items():
            wheel.writestr(name, data)
    return folder


def uv_here():
    """The uv the project's own install used, if it had one: the venv's own, the one the
    installer put in .venv/uv-tool/, else one on PATH (the installer's find_uv)."""
    venv = Path(sys.prefix)
    for own in (venv / "bin" / "uv", venv / "uv-tool" / "bin" / "uv"):
        if own.exists():
            return str(own)
    return shutil.which("uv")


@pytest.fixture
def install(tmp_path):
    """Runs the installer on a requirements file naming the probe, with no index: pip's settings
    point at the probe's folder only (so uv gets there only if it is handed pip's settings)."""
    wheels = probe_wheel(tmp_path / "wheels")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("ioi-probe==1.0\n")
    venv = tmp_path / "venv"
    # Made here, without installing pip into it, which takes seconds: the interpreter's own pip
    # serves through --system-site-packages where it has one.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", venv])
    python = venv / "bin" / "python"
    if subprocess.run([python, "-c", "import pip"], capture_output=True).returncode:
        subprocess.run(
            [python, "-m", "ensurepip", "--default-pip"], check=True, capture_output=True
        )

    def _install(installer=None, uv=None):
        env = clean_env(
            PIP_CONFIG_FILE=os.devnull,
            PIP_NO_INDEX="1",
            PIP_FIND_LINKS=str(wheels),
            PIP_NO_CACHE_DIR="1",
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            UV_NO_CONFIG="1",
            UV_CACHE_DIR=str(tmp_path / "uv-cache"),
            HOME=str(tmp_path),
        )
        if uv:
            env["PATH"] = f"{Path(uv).parent}:{env['PATH']}"
        if installer:
            env["IOI_INSTALLER"] = installer
        done = subprocess.run(
            [sys.executable, INSTALLER, venv, requirements],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        installed = list((venv / "lib").glob(f"python3.*/site-packages/{PROBE}-1.0.dist-info"))
        by = (installed[0] / "INSTALLER").read_text().strip() if installed else None
        return done, by

    return _install


@same_on_every_database
def test_uv_installs_where_it_is_there_with_pips_settings(install):
    uv = uv_here()
    if uv is None:
        pytest.skip("no uv here: the project's own install fell back to pip")
    done, by = install(uv=uv)
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "uv"
    assert "with uv" in done.stdout and "pip" not in done.stdout


@same_on_every_database
def test_ioi_installer_pip_installs_with_pip_even_where_uv_is_there(install):
    done, by = install(installer="pip", uv=uv_here())
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "pip"
    assert "with pip" in done.stdout and "uv" not in done.stdout


@same_on_every_database
@pytest.mark.slow
def test_where_uv_cannot_be_installed_pip_installs_instead(install):
    """Nothing on PATH, nothing in the venv, and pip finds no uv to install (no index)."""
    done, by = install()
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "pip"
    assert "uv could not be installed" in done.stdout
    assert "with pip" in done.stdout


@same_on_every_database
def test_ioi_installer_uv_fails_where_uv_cannot_be_had(install):
    done, by = install(installer="uv")
    assert done.returncode == 1 and by is None
    assert "IOI_INSTALLER=uv, but uv could not be had" in done.stdout


# The database


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A connection of its own to a SQLite file that does not exist yet."""
    path = tmp_path / "db.sqlite3"
    handler = type(connections)({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}})
    connection = handler["default"]
    with django_db_blocker.unblock():
        yield connection, path
        connection.close()


def pragmas(connection):
    with connection.cursor() as cursor:
        return [
            cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous")
        ]


@same_on_every_database
def test_a_new_database_is_built_aside_without_waiting_on_the_disk_then_moved_in(sqlite_file):
    connection, path = sqlite_file
    assert site_setup.new_sqlite_file(connection) == path
    with site_setup.building(connection, path):
        assert Path(connection.settings_dict["NAME"]).name == "db.sqlite3.building"
        assert pragmas(connection) == ["memory", 0]
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE made (id integer)")
        assert not path.exists()
    assert path.exists() and not path.with_name("db.sqlite3.building").exists()
    # In place it is an ordinary database: the journal on disk, and a wait for each commit.
    assert connection.settings_dict["NAME"] == path
    assert pragmas(connection) == ["delete", 2]
    with connection.cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM made").fetchone() == (0,)
    assert site_setup.new_sqlite_file(connection) is None


@same_on_every_database
def test_a_build_that_stops_leaves_no_database_and_the_next_one_starts_again(sqlite_file):
    connection, path = sqlite_file
    with pytest.raises(KeyboardInterrupt), site_setup.building(connection, path):
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE half (id integer)")
        raise KeyboardInterrupt
    assert not path.exists() and not path.with_name("db.sqlite3.building").exists()
    # A build killed outright leaves its file behind: the next one starts from nothing.
    path.with_name("db.sqlite3.building").write_bytes(b"what a killed build left")
    assert site_setup.new_sqlite_file(connection) == path
    with site_setup.building(connection, path), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE whole (id integer)")
    with connection.cursor() as cursor:
        tables = cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == [("whole",)]


@pytest.mark.django_db
def test_a_site_with_its_content_and_its_migrations_has_nothing_to_set_up():
    build_site()
    out = StringIO()
    call_command("set_up_site", stdout=out)
    assert out.getvalue() == (
        "The database is up to date and has its content: nothing to set up.\n"
    )


@same_on_every_database
@pytest.mark.slow
@pytest.mark.opening
def test_run_site_sets_up_a_new_database_and_serves_it(tmp_path):
    """What `make run` runs, on a clone with no database: built, seeded, served; once there, a
    second start finds nothing to do. One process (no autoreloader) to keep it short."""
    port = free_port()
    database = tmp_path / "db.sqlite3"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="ioisite.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "run_site.log"

    def run_site(environment=env):
        with log.open("w") as out:
            return subprocess.Popen(
                [sys.executable, "manage.py", "run_site", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def home_answers():
        try:
            return httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    server = run_site()
    try:
        wait_for(home_answers, 180, "the first page of a new site")
    finally:
        stop(server)
    first = log.read_text()
    assert "A new database in db.sqlite3" in first
    assert "database migrations ..." in first and "Loading the IOI content" in first
    assert f"The site:  http://127.0.0.1:{port}/" in first
    assert "No admin account yet" in first
    assert database.exists() and not (tmp_path / "db.sqlite3.building").exists()

    server = run_site()
    try:
        wait_for(home_answers, 60, "the first page of a second run")
    finally:
        stop(server)
    second = log.read_text()
    assert "nothing to set up" in second and "migrations" not in second
