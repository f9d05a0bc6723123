"""How long `make run` takes a newcomer: a fresh clone of this repository's HEAD, `make run`, and
the seconds until http://127.0.0.1:PORT/ first answers 200; then the same again in the same
clone (the second run). Each line `make run` prints is shown with the second it appeared at.

    python3 bench/first_run.py                 # empty pip and uv caches
    python3 bench/first_run.py --cache DIR     # caches in DIR (warm from a run before)
    IOI_INSTALLER=pip python3 bench/first_run.py

Not part of `make bench`: it installs every package again, from the network. The server is
stopped through its own process group, and the clone and empty caches are deleted afterwards.
docs/first-run.md has the figures."""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def make_run(clone, env, limit):
    """Seconds from `make run` to the first 200, printing each line as it comes."""
    port = free_port()
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def show():
        for line in make.stdout:
            print(f"  {time.monotonic() - started:6.1f}  {line.rstrip()}", flush=True)

    threading.Thread(target=show, daemon=True).start()
    try:
        while time.monotonic() - started < limit:
            if answers(port):
                return time.monotonic() - started
            if make.poll() is not None:
                return None
            time.sleep(0.05)
        return None
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
        make.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", help="pip and uv caches in this folder (default: empty ones)")
    parser.add_argument("--second-runs", type=int, default=1)
    parser.add_argument("--limit", type=float, default=600, help="seconds to wait for a 200")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ioi-first-run-"))
    cache = Path(args.cache) if args.cache else work / "cache"
    env = {
        **os.environ,
        "PIP_CACHE_DIR": str(cache / "pip"),
        "UV_CACHE_DIR": str(cache / "uv"),
    }
    try:
        clone = work / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        print(f"Fresh clone, caches in {cache}{'' if args.cache else ' (empty)'}:")
        first = make_run(clone, env, args.limit)
        print(f"first run: {first:.1f} s to the first page" if first else "first run: no page")
        for n in range(args.second_runs):
            again = make_run(clone, env, args.limit)
            print(f"second run {n + 1}: {again:.1f} s" if again else "second run: no page")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
