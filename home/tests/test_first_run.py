"""`make run` on a fresh clone: the installer takes uv where it can have it and pip where it
cannot (bin/install_requirements.py). No test here reaches the internet: packages come from a
wheel the test makes."""

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import clean_env
from pages.tests.servers import ROOT

INSTALLER = ROOT / "bin" / "install_requirements.py"
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
    """The uv the project's own install used, if it had one."""
    return shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")


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


def test_uv_installs_where_it_is_there_with_pips_settings(install):
    uv = uv_here()
    if uv is None:
        pytest.skip("no uv here: the project's own install fell back to pip")
    done, by = install(uv=uv)
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "uv"
    assert "with uv" in done.stdout and "pip" not in done.stdout


def test_ioi_installer_pip_installs_with_pip_even_where_uv_is_there(install):
    done, by = install(installer="pip", uv=uv_here())
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "pip"
    assert "with pip" in done.stdout and "uv" not in done.stdout


def test_where_uv_cannot_be_installed_pip_installs_instead(install):
    """Nothing on PATH, nothing in the venv, and pip finds no uv to install (no index)."""
    done, by = install()
    assert done.returncode == 0, done.stdout + done.stderr
    assert by == "pip"
    assert "uv could not be installed" in done.stdout
    assert "with pip" in done.stdout


def test_ioi_installer_uv_fails_where_uv_cannot_be_had(install):
    done, by = install(installer="uv")
    assert done.returncode == 1 and by is None
    assert "IOI_INSTALLER=uv, but uv could not be had" in done.stdout
