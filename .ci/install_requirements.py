#!/usr/bin/env python3
"""Make the virtual environment if it is missing, and install a requirements file into it:
with uv where uv is there or can be installed, with pip otherwise (docs/dependencies.md,
"How packages are installed").

    python3 .ci/install_requirements.py .venv requirements.txt

IOI_INSTALLER=pip always installs with pip; IOI_INSTALLER=uv fails if uv cannot be had; unset (or
"auto"), uv is tried first and pip is the fallback. uv does not read pip's configuration, so it is
given pip's own settings (indexes, find-links, constraints, certificate), read through pip: both
install the same versions from the same places.

The Makefile runs this, so `make run`, `make test` and CI install the same way. It is a script of
its own, outside the Makefile, so that it can be read and tested (home/tests/test_first_run.py).
It lives in .ci/, beside CI's own script, because the top level holds only the site and the
folders the team agreed on (.ci/, bench/, docs/).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MINIMUM_PYTHON = (3, 11)
# uv comes from PyPI like any package. A range rather than a pin: uv reads the same requirements
# files whatever its version, and `uv pip install` has kept its options since long before 0.9.
UV_REQUIREMENT = "uv>=0.9,<1"
INSTALLERS = ("auto", "uv", "pip")

# pip's settings as pip itself reads them, from its configuration files and PIP_* variables.
PIP_SETTINGS = """
import json
from pip._internal.commands import create_command
options, _ = create_command("install").parse_args([])
print(json.dumps({name: getattr(options, name, None) for name in (
    "index_url", "extra_index_urls", "find_links", "constraints", "no_index", "cert",
    "trusted_hosts")}))
"""
PYPI = "https://pypi.org/simple"


def say(text, end="\n"):
    print(text, end=end, flush=True)


def on_terminal():
    return sys.stdout.isatty()


def has_pip(python):
    return subprocess.run([str(python), "-c", "import pip"], capture_output=True).returncode == 0


def make_venv(venv, with_pip):
    # Without pip where uv will install: pip takes seconds to put into a venv, and uv needs none.
    say(f"Making the virtual environment in {venv}/ ...")
    command = [sys.executable, "-m", "venv", str(venv)]
    subprocess.run(command if with_pip else [*command, "--without-pip"], check=True)


def add_pip(python):
    if not has_pip(python):
        say("Adding pip to the virtual environment ...")
        subprocess.run([str(python), "-m", "ensurepip", "--default-pip"], check=True)


def find_uv(venv):
    """The venv's uv (installed by an earlier run), else one on PATH."""
    for own in (venv / "bin" / "uv", venv / "uv-tool" / "bin" / "uv"):
        if own.exists():
            return str(own)
    return shutil.which("uv")


def install_uv(venv, python):
    """uv from PyPI, with the venv's pip, or with this Python's into a folder of the venv when
    the venv has none; None if it cannot be had (no network to PyPI, a mirror without uv, a
    platform without a uv wheel)."""
    say(f"Installing uv ({UV_REQUIREMENT}) with pip ...")
    pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", UV_REQUIREMENT]
    if has_pip(python):
        command = [str(python), *pip]
    else:
        command = [sys.executable, *pip, "--target", str(venv / "uv-tool")]
    installed = subprocess.run(command, capture_output=True, text=True)
    uv = find_uv(venv) if installed.returncode == 0 else None
    if uv is None:
        reason = (installed.stderr.strip().splitlines() or ["pip could not install it"])[-1]
        say(f"  uv could not be installed: {reason}")
    return uv


def pip_settings(python):
    """What `pip install` would use, as uv options and environment; nothing if pip cannot say.
    Read by the venv's pip, or by this Python's where the venv has none."""
    reader = python if has_pip(python) else sys.executable
    read = subprocess.run([str(reader), "-c", PIP_SETTINGS], capture_output=True, text=True)
    if read.returncode != 0:
        return [], {}
    settings = json.loads(read.stdout)
    options, env = [], {}
    if settings["no_index"]:
        options.append("--no-index")
    elif settings["index_url"] and settings["index_url"].rstrip("/") != PYPI:
        options += ["--default-index", settings["index_url"]]
    for url in settings["extra_index_urls"] or []:
        options += ["--index", url]
    if settings["extra_index_urls"]:
        # pip takes the newest version found on any index; uv's default is the first index
        # that has the package at all, which would pick an older release from a local mirror.
        options += ["--index-strategy", "unsafe-best-match"]
    for location in settings["find_links"] or []:
        options += ["--find-links", location]
    for constraints in settings["constraints"] or []:
        options += ["--constraint", constraints]
    for host in settings["trusted_hosts"] or []:
        options += ["--allow-insecure-host", host]
    if settings["cert"]:
        env["SSL_CERT_FILE"] = settings["cert"]
    return options, env


def install_with_uv(uv, python, requirements):
    options, env = pip_settings(python)
    # Compiled as pip compiles them: without .pyc files every start of Django compiles Wagtail
    # again wherever PYTHONDONTWRITEBYTECODE is set (this machine sets it), twice as slow.
    command = [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python)]
    command += ["-r", str(requirements)]
    return subprocess.run(command + options, env={**os.environ, **env}).returncode


def install_with_pip(python, requirements):
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    command += ["-r", str(requirements)]
    if not on_terminal():
        return subprocess.run(command + ["--quiet"]).returncode
    # On a terminal, one line that keeps changing: pip takes half a minute or more, and its
    # own output is a page of it.
    pip = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    collected = 0
    for line in pip.stdout:
        line = line.strip()
        if line.startswith("Collecting "):
            collected += 1
        if line:
            say(f"\r\033[K  pip [{collected} packages]: {line[:70]}", end="")
    say("\r\033[K", end="")
    return pip.wait()


def main(argv):
    if sys.version_info < MINIMUM_PYTHON:
        say(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
        return 1
    if len(argv) != 3:
        say(f"Usage: {argv[0]} VENV REQUIREMENTS")
        return 2
    venv, requirements = Path(argv[1]), Path(argv[2])
    choice = (os.environ.get("IOI_INSTALLER") or "auto").strip().lower()
    if choice not in INSTALLERS:
        say(f"IOI_INSTALLER must be one of {', '.join(INSTALLERS)} (got {choice!r}).")
        return 2
    python = venv / "bin" / "python"
    uv = None if choice == "pip" else find_uv(venv)
    if not python.exists():
        make_venv(venv, with_pip=choice == "pip" or not (uv or has_pip(sys.executable)))
    if uv is None and choice != "pip":
        uv = install_uv(venv, python)
    if uv is None and choice == "uv":
        say("IOI_INSTALLER=uv, but uv could not be had.")
        return 1
    started = time.monotonic()
    if uv:
        say(f"Installing {requirements} with uv ...")
        failed = install_with_uv(uv, python, requirements)
        if failed and choice == "auto":
            say(f"  uv failed (exit {failed}): installing with pip instead.")
            uv = None
    if not uv:
        add_pip(python)
        say(f"Installing {requirements} with pip ...")
        failed = install_with_pip(python, requirements)
    if failed:
        return failed
    say(f"  installed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
