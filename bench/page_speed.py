"""Benchmark: the public pages served by gunicorn (production settings, 2 workers), on SQLite,
then on PostgreSQL and Redis when they answer. Prints, per page type: requests per second with
the page cache (and without it), p50 and p99 latency, SQL queries of an uncached render, the
gzipped HTML size, and the ratio to a trivial view measured in the same run; then the workers'
memory and the time from start to the first page served. Then the same site with a Redis of
the benchmark's own that hangs (paused with SIGSTOP): each page's speed with the cache out.

    make bench     (or: .venv/bin/python bench/page_speed.py [--seconds 5] [--connections 16])
    .venv/bin/python bench/page_speed.py --redis-outage-only    (the hung Redis alone)

Load comes from wrk when it is installed (Debian: apt-get install wrk), else from a small
Python client (slower: it measures less of the server's top speed). Every server listens on
127.0.0.1 only, every load run is bounded in time, and only the processes started here are
stopped."""

import argparse
import gzip
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGES = [
    ("trivial view", "/healthz/live/"),
    ("home", "/"),
    ("initiatives index", "/initiatives/"),
    ("initiatives, page 40", "/initiatives/?page=40"),
    ("initiative", "/initiatives/bench-initiative-500/"),
    ("impact (3 charts)", "/impact/"),
    ("impact dataset, CSV", "/impact/data/oi-fund-pilot.csv"),
    ("API: pages listing", "/api/v2/pages/"),
    ("contact (never cached)", "/contact/"),
    ("standard (about)", "/about/"),
    ("resources", "/resources/"),
    ("resources, page 20", "/resources/?page=20"),
    ("research index", "/research/"),
    ("research, by type and year", "/research/?type=report&year=2024"),
    ("publication", "/research/bench-publication-500/"),
    ("citation (BibTeX)", "/research/bench-publication-500/cite/bibtex/"),
    ("news index", "/news/"),
    ("news, by tag, page 20", "/news/?tag=funding&page=20"),
    ("news post", "/news/bench-post-500/"),
    ("people index", "/people/"),
    ("person, credited on 2,000 items", "/people/bench-author/"),
    ("catalogue, filtered", "/catalogue/?category=repository-software&licence=mit&sort=relied-on"),
    ("catalogue entry", "/catalogue/bench-entry-500/"),
    (
        "catalogue, 4-way compare",
        "/catalogue/compare/?e=zenodo&e=dspace&e=dataverse&e=bench-entry-500",
    ),
    ("404", "/no-such-page/"),
    ("home, Spanish", "/es/"),
    ("initiatives index, Spanish", "/es/iniciativas/"),
    ("contact, Spanish (never cached)", "/es/contacto/"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


REDIS_DB = 13  # the benchmark's own Redis database, emptied before each run


def fresh_postgres_database(name):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


def flush_redis_db(number):
    with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:
        s.sendall(f"SELECT {number}\r\nFLUSHDB\r\n".encode())
        s.recv(64)


def base_env(workdir, database_url, redis_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SITE_URL="http://127.0.0.1",
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_CACHE_DIR=str(workdir / "cache"),
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        # The load comes from one address: the API's per-client limit would answer it 429.
        API_RATE="100000000/m",
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare(env, initiatives, links):
    run = {"env": env, "cwd": ROOT, "check": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    subprocess.run([PYTHON, "bench/generate_data.py", str(initiatives), str(links)], **run)
    if env["DATABASE_URL"].startswith("postgres"):
        # The planner's statistics for the rows just made, as autovacuum would gather them in
        # production. Where autovacuum is off, or has not run yet, PostgreSQL plans for the
        # empty tables of the migration: the public-page filter's anti-join then walks every
        # page once per page, and uncached pages took 0.3-1.5 s instead of 30-130 ms.
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as db:
            db.execute("ANALYZE")


def start_gunicorn(env, port, page_cache_seconds):
    env = dict(env, PAGE_CACHE_SECONDS=str(page_cache_seconds), GUNICORN_ACCESS_LOG="")
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "-c",
        "ioisite/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--log-level",
        "warning",
        "ioisite.wsgi",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = started + 60
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return process, time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    stop(process)
    raise SystemExit("gunicorn did not serve the home page within 60 s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_memory_mb(master_pid):
    children = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    rss = [int(children[i + 1]) / 1024 for i in range(0, len(children), 2)]
    return rss


def gzipped_bytes(port, path):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"}
    )
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:  # the 404 page
        response = error
    body = response.read()
    if response.headers.get("Content-Encoding") != "gzip":
        body = gzip.compress(body)  # what gzip would make of it, for comparison
    return len(body)


def load_wrk(port, path, seconds, connections):
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    value, unit = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", out).groups()
    slowest = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, ms(50), ms(99), int(errors.group(1)) if errors else 0, slowest


def load_python(port, path, seconds, connections):
    latencies, lock, stop_at = [], threading.Lock(), time.perf_counter() + seconds

    def client():
        conn = HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.perf_counter() < stop_at:
            begun = time.perf_counter()
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            conn.getresponse().read()
            mine.append((time.perf_counter() - begun) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(min(connections, 8))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 30)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, q[49], q[98], 0, latencies[-1]


def uncached_queries(env):
    """SQL queries of an uncached render of each page (its second, as a worker that has served
    it before), counted in a process of its own."""
    code = f"""
import django, json
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
counts = {{}}
for name, path in {PAGES!r}:
    client.get(path)  # steady state: per-process lookups (site root, content types) are warm
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    counts[path] = len(captured)
print(json.dumps(counts))
"""
    env = dict(env, PAGE_CACHE_SECONDS="0")
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(label, env, seconds, connections, load):
    queries = uncached_queries(env)
    results = {}
    memory, start_times = [], []
    for cached in (True, False):
        port = free_port()
        process, start_time = start_gunicorn(env, port, 300 if cached else 0)
        start_times.append(start_time)
        try:
            for name, path in PAGES:
                if cached:  # warm the cache
                    for _ in range(3):
                        gzipped_bytes(port, path)
                rps, p50, p99, errors, _ = load(port, path, seconds, connections)
                row = results.setdefault(path, {"name": name})
                if cached:
                    row.update(rps=rps, p50=p50, p99=p99, errors=errors)
                    row["bytes"] = gzipped_bytes(port, path)
                else:
                    row["rps_uncached"] = rps
            memory = worker_memory_mb(process.pid) if cached else memory
        finally:
            stop(process)

    trivial = results["/healthz/live/"]["rps"]
    print(f"\n## {label}\n")
    print(
        "| Page | req/s (cached) | req/s (uncached) | p50 ms | p99 ms | SQL (uncached) "
        "| HTML gzip bytes | vs trivial |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path, row in results.items():
        errors = f" ({row['errors']} non-2xx)" if row["errors"] and "no-such" not in path else ""
        print(
            f"| {row['name']} `{path}` | {row['rps']:,.0f}{errors} | {row['rps_uncached']:,.0f} "
            f"| {row['p50']:.2f} | {row['p99']:.2f} | {queries[path]} | {row['bytes']:,} "
            f"| {row['rps'] / trivial:.0%} |"
        )
    print(
        f"\nWorker memory after the run: {', '.join(f'{m:.0f} MB' for m in memory)}. "
        f"Start to first page served: {start_times[0]:.2f} s (cache on), "
        f"{start_times[1]:.2f} s (cache off)."
    )


def redis_outage(env, seconds, connections, load):
    """The site with a Redis of the benchmark's own, paused (SIGSTOP) as a Redis that hangs is:
    every page is rendered without the cache; the circuit breaker (pages/caching/breaker.py)
    lets each worker wait for Redis once, then once per cool-down (a probe)."""
    binary = shutil.which("redis-server")
    if binary is None:
        print("\nredis-server is not installed: the hung-Redis run is skipped.")
        return
    redis_port = free_port()
    redis = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    gunicorn, results = None, {}
    try:
        deadline = time.perf_counter() + 10
        while not answers("127.0.0.1", redis_port) and time.perf_counter() < deadline:
            time.sleep(0.05)
        env = dict(env, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
        port = free_port()
        gunicorn, _ = start_gunicorn(env, port, 300)
        for _, path in PAGES:
            gzipped_bytes(port, path)  # cached, as before an outage
        os.kill(redis.pid, signal.SIGSTOP)
        for name, path in PAGES:
            results[path] = (name, *load(port, path, seconds, connections))
    finally:
        if gunicorn is not None:
            stop(gunicorn)
        os.kill(redis.pid, signal.SIGCONT)
        stop(redis)

    print("\n## Redis paused (SIGSTOP): the cache hangs, SQLite\n")
    print("| Page | req/s | p50 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for path, (name, rps, p50, p99, errors, slowest) in results.items():
        errors = f" ({errors} non-2xx)" if errors and "no-such" not in path else ""
        print(f"| {name} `{path}` | {rps:,.0f}{errors} | {p50:.2f} | {p99:.2f} | {slowest:.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="load time per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--initiatives", type=int, default=1000)
    parser.add_argument("--links", type=int, default=5000)
    parser.add_argument(
        "--redis-outage-only", action="store_true", help="only the run with Redis paused"
    )
    args = parser.parse_args()

    load = load_wrk if shutil.which("wrk") else load_python
    print(
        f"Load: {'wrk' if load is load_wrk else 'Python client (install wrk for truer figures)'}, "
        f"{args.connections} connections, {args.seconds} s per page; "
        f"{os.cpu_count()} CPU cores; data: {args.initiatives} initiatives, {args.links} links."
    )
    workdir = Path(tempfile.mkdtemp(prefix="ioisite-pagebench-"))
    try:
        # Production keeps the page cache off without a shared cache (docs/caching.md): the
        # SQLite run shares the benchmark's Redis database when there is one.
        redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}" if redis_answers() else None
        if redis_url:
            flush_redis_db(REDIS_DB)
        env = base_env(workdir, f"sqlite:///{workdir}/bench.sqlite3", redis_url)
        prepare(env, args.initiatives, args.links)
        label = "SQLite and Redis" if redis_url else "SQLite, no Redis: the page cache stays off"
        if args.redis_outage_only:
            redis_outage(env, args.seconds, args.connections, load)
            return
        bench(label, env, args.seconds, args.connections, load)
        redis_outage(env, args.seconds, args.connections, load)

        if answers("127.0.0.1", 5432) and redis_answers():
            database = "ioisite_bench"
            fresh_postgres_database(database)
            env = base_env(
                workdir,
                f"postgres://postgres@127.0.0.1:5432/{database}",
                f"redis://127.0.0.1:6379/{REDIS_DB}",
            )
            flush_redis_db(REDIS_DB)
            prepare(env, args.initiatives, args.links)
            bench("PostgreSQL and Redis (shared cache)", env, args.seconds, args.connections, load)
        else:
            print("\nPostgreSQL or Redis does not answer on 127.0.0.1: second run skipped.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
