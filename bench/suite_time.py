"""Where the suite's time goes: a pytest plugin that records, for every test, when it ran, on which
process, and the CPU its process and the processes it waited for used; with the machine's busy
cores sampled once a second. Then a report: per process, per 30-second window (busy cores and
what ran), per module, and the tests whose wall time was least their own CPU.

    make test PYTEST_ARGS="-p bench.suite_time"    # records into $IOI_SUITE_TIME (default below)
    .venv/bin/python bench/suite_time.py            # the report

What it cannot see: the CPU of processes a test did not wait for (Chromium, which the browser
fixture keeps for the session; gunicorn until it is stopped) is in the machine's busy cores, not
in a test's figures. Linux only (/proc/stat). docs/testing.md, "Where the time goes", says what
a run on this machine showed."""

import collections
import glob
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

FOLDER = Path(os.environ.get("IOI_SUITE_TIME", Path(tempfile.gettempdir()) / "ioi-suite-time"))
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "controller")
WINDOW = 30  # seconds


def _cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, waited.ru_utime + waited.ru_stime


def _busy_and_idle():
    """The machine's busy and idle jiffies so far (every core)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, idle


# The plugin (pytest -p bench.suite_time)

_started = {}
_out = None


def pytest_sessionstart(session):
    global _out
    FOLDER.mkdir(parents=True, exist_ok=True)
    if WORKER == "controller":
        for old in FOLDER.glob("*.jsonl"):
            old.unlink()
        threading.Thread(target=_sample, daemon=True).start()
    _out = open(FOLDER / f"{WORKER}.jsonl", "a", buffering=1)  # noqa: SIM115 (the session's)


def _sample():
    with open(FOLDER / "machine.jsonl", "a", buffering=1) as out:
        while True:
            busy, idle = _busy_and_idle()
            out.write(json.dumps({"t": time.time(), "busy": busy, "idle": idle}) + "\n")
            time.sleep(1)


def pytest_runtest_logstart(nodeid, location):
    if WORKER != "controller":
        _started[nodeid] = (time.time(), *_cpu())


def pytest_runtest_logfinish(nodeid, location):
    if WORKER == "controller" or nodeid not in _started:
        return
    start, own, waited = _started.pop(nodeid)
    own_now, waited_now = _cpu()
    row = {
        "test": nodeid,
        "process": WORKER,
        "start": start,
        "end": time.time(),
        "own_cpu": own_now - own,
        "waited_cpu": waited_now - waited,
    }
    _out.write(json.dumps(row) + "\n")


# The report (python bench/suite_time.py)


def _read(name):
    return [json.loads(line) for path in glob.glob(str(FOLDER / name)) for line in open(path)]


def report():
    tests = [row for row in _read("*.jsonl") if "test" in row]
    machine = sorted(_read("machine.jsonl"), key=lambda row: row["t"])
    if not tests:
        sys.exit(f"Nothing recorded in {FOLDER}: run make test PYTEST_ARGS='-p bench.suite_time'")
    first, last = min(r["start"] for r in tests), max(r["end"] for r in tests)
    hz = os.sysconf("SC_CLK_TCK")

    def busy_cores(start, end):
        inside = [s for s in machine if start <= s["t"] <= end]
        if len(inside) < 2:
            return float("nan")
        return (inside[-1]["busy"] - inside[0]["busy"]) / hz / (inside[-1]["t"] - inside[0]["t"])

    print(f"{len(tests)} tests over {last - first:.0f} s; busy cores {busy_cores(first, last):.2f}")
    print("\nprocess   in tests (s)   own CPU   waited-for CPU")
    for process in sorted({r["process"] for r in tests}):
        mine = [r for r in tests if r["process"] == process]
        print(
            f"{process:9s} {sum(r['end'] - r['start'] for r in mine):13.0f}"
            f" {sum(r['own_cpu'] for r in mine):9.0f} {sum(r['waited_cpu'] for r in mine):16.0f}"
        )
    print(f"\nfrom (s)  busy cores  the longest tests running in the {WINDOW} s")
    start = first
    while start < last:
        end = start + WINDOW
        running = sorted(
            (r for r in tests if r["start"] < end and r["end"] > start),
            key=lambda r: min(r["end"], end) - max(r["start"], start),
            reverse=True,
        )
        names = " | ".join(f"{r['process']}:{r['test'].split('/')[-1][:55]}" for r in running[:2])
        print(f"{start - first:8.0f}  {busy_cores(start, end):10.2f}  {names}")
        start = end
    print("\nmodule                                               wall (s)  own CPU  waited  tests")
    modules = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for r in tests:
        m = modules[r["test"].split("::")[0]]
        m[0] += r["end"] - r["start"]
        m[1] += r["own_cpu"]
        m[2] += r["waited_cpu"]
        m[3] += 1
    for name, (wall, own, waited, count) in sorted(modules.items(), key=lambda kv: -kv[1][0])[:40]:
        print(f"{name:52s} {wall:8.1f} {own:8.1f} {waited:7.1f} {count:6d}")
    print("\nwall less own and waited-for CPU (waiting, or a browser or server's CPU), top 20")
    for r in sorted(tests, key=lambda r: r["own_cpu"] + r["waited_cpu"] - (r["end"] - r["start"]))[
        :20
    ]:
        wall = r["end"] - r["start"]
        print(f"{wall:7.1f} s, own {r['own_cpu']:5.1f}, waited {r['waited_cpu']:5.1f}  {r['test']}")


if __name__ == "__main__":
    report()
