"""Benchmark: the public pages served by gunicorn (production settings, 2 workers). Prints, per
page type and in one table: requests per second from the page cache and uncached, with the
cache in files (production without Redis) and in Redis; the SQL queries of an uncached render,
cold (the first after a publish) and warm; each figure's ratio to /healthz/ measured in the same
run; the gzipped HTML size; and the top costs of one uncached render (cProfile). Optionally the
same pages at an older commit (--baseline, a `git worktree` of it), uncached as production served
them there without Redis, for the ratio between the two. Then PostgreSQL and Redis when they
answer, and the site with a Redis of the benchmark's own that hangs (paused with SIGSTOP).

    make bench     (or: .venv/bin/python bench/page_speed.py [--seconds 5] [--connections 16])
    git worktree add /tmp/base394 394a8ec && .venv/bin/python bench/page_speed.py \\
        --baseline /tmp/base394    (the same pages at 394a8ec, uncached, in the same run: both
        servers up, each page loaded now and then in turn, --rounds times; the best of each)
    .venv/bin/python bench/page_speed.py --redis-outage-only    (the hung Redis alone)
    .venv/bin/python bench/page_speed.py --only CSV,BibTeX --skip-postgres --skip-outage
        (a few rows: the health check and those whose names hold one of the words)

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
    ("health check", "/healthz/"),
    ("trivial view", "/healthz/live/"),
    ("home", "/"),
    ("initiatives index", "/initiatives/"),
    ("initiatives, page 40", "/initiatives/?page=40"),
    ("initiative", None),  # the last one generated: main() fills it in from --initiatives
    ("impact (3 charts)", "/impact/"),
    ("impact dataset, CSV", "/impact/data/oi-fund-pilot.csv"),
    ("API: pages listing", "/api/v2/pages/"),
    ("contact", "/contact/"),
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
    ("contact, Spanish", "/es/contacto/"),
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


# The benchmark's own Redis database, emptied before each run.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "13"))


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


def prepare(env, initiatives, links, root=ROOT):
    run = {"env": env, "cwd": root, "check": True}
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


def start_gunicorn(env, port, page_cache_seconds, root=ROOT):
    env = dict(
        env,
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(root),
    )
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
    process = subprocess.Popen(command, env=env, cwd=root, start_new_session=True)
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


def uncached_queries(env, root=ROOT, profile=True):
    """SQL queries of an uncached render of each page, counted in a process of its own: cold
    (the first render after a publish: a new cache generation, so what every page shows is
    worked out again) and warm (the next render). With `profile`, the top costs of the warm
    render by cProfile (own time, the functions above a millisecond)."""
    code = f"""
import cProfile, django, json, pstats
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
try:
    from pages.caching.middleware import new_generation
except ImportError:
    new_generation = lambda: None
client = Client(HTTP_HOST="127.0.0.1")
client.get("/")  # per-process lookups (content types, site root paths) warm
counts, costs = {{}}, {{}}
for name, path in {PAGES!r}:
    new_generation()
    with CaptureQueriesContext(connection) as cold:
        client.get(path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    counts[path] = [len(cold), len(warm)]
    if {profile!r}:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).stats
        top = sorted(stats.items(), key=lambda item: -item[1][2])[:3]
        costs[path] = [
            f"{{func[2]}} ({{func[0].rsplit('/', 1)[-1]}}) {{own * 1000:.1f}} ms"
            for func, (_, _, own, _, _) in top
        ]
print(json.dumps({{"counts": counts, "costs": costs}}))
"""
    env = dict(env, PAGE_CACHE_SECONDS="0", PYTHONPATH=str(root))
    out = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(env, seconds, connections, load, page_cache_seconds, root=ROOT):
    """Each page's requests per second with the page cache on (warmed first) or off."""
    results = {}
    port = free_port()
    process, start_time = start_gunicorn(env, port, page_cache_seconds, root)
    try:
        for _, path in PAGES:
            if page_cache_seconds:
                for _ in range(3):
                    gzipped_bytes(port, path)
            rps, p50, p99, errors, _ = load(port, path, seconds, connections)
            results[path] = {
                "rps": rps,
                "p50": p50,
                "p99": p99,
                "errors": errors,
                "bytes": gzipped_bytes(port, path),
            }
        memory = worker_memory_mb(process.pid)
    finally:
        stop(process)
    return results, memory, start_time


def measure_side_by_side(env, baseline_env, baseline_root, seconds, connections, load, rounds):
    """Each page uncached, now and at the baseline, with both servers up and the two loaded in
    turn (now, then, now, then...): a change in the machine's speed during the run (a shared
    machine's neighbours; seen: /healthz/ 1,227 to 1,584 req/s from one run to the next) falls
    on both alike. The best of `rounds` for each."""
    now, then = {}, {}
    port, port_then = free_port(), free_port()
    process, _ = start_gunicorn(env, port, 0)
    try:
        process_then, _ = start_gunicorn(baseline_env, port_then, 0, baseline_root)
        try:
            for _, path in PAGES:
                for results, at in ((now, port), (then, port_then)) * rounds:
                    rps, p50, p99, errors, _ = load(at, path, seconds, connections)
                    if path not in results or rps > results[path]["rps"]:
                        results[path] = {"rps": rps, "p50": p50, "p99": p99, "errors": errors}
                now[path]["bytes"] = gzipped_bytes(port, path)
        finally:
            stop(process_then)
    finally:
        stop(process)
    return now, then


def bench(label, runs, queries, baseline=None):
    """One table: a column of req/s per run (name -> results), each against /healthz/ in the
    same run; the SQL queries cold and warm; the baseline's uncached req/s and the ratio."""
    print(f"\n## {label}\n")
    names = list(runs)
    header = ["Page"]
    for run in names:
        header += [f"{run} req/s", "vs /healthz/"]
    header += ["SQL cold", "SQL warm", "HTML gzip bytes"]
    if baseline:
        header += ["394a8ec uncached req/s", "uncached now / then"]
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for name, path in PAGES:
        cells = [f"{name} `{path}`"]
        for run in names:
            row = runs[run][path]
            health = runs[run]["/healthz/"]["rps"]
            failed = row["errors"] and "no-such" not in path
            errors = f" ({row['errors']} non-2xx)" if failed else ""
            cells += [f"{row['rps']:,.0f}{errors}", f"{row['rps'] / health:.2f}"]
        cold, warm = queries["counts"].get(path, ["", ""])
        cells += [str(cold), str(warm), f"{runs[names[0]][path]['bytes']:,}"]
        if baseline:
            then = baseline.get(path)
            uncached = next((runs[run][path]["rps"] for run in names if "uncached" in run), None)
            cells += [
                f"{then['rps']:,.0f}" if then else "",
                f"{uncached / then['rps']:.1f}x" if then and then["rps"] and uncached else "",
            ]
        print("| " + " | ".join(cells) + " |")
    if queries.get("costs"):
        print("\nTop costs of one uncached render (cProfile, own time):\n")
        for name, path in PAGES:
            if path in queries["costs"]:
                print(f"- {name}: " + "; ".join(queries["costs"][path]))


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
        "--baseline", help="a checkout of an older commit (git worktree add), measured uncached"
    )
    parser.add_argument("--skip-postgres", action="store_true", help="only the SQLite runs")
    parser.add_argument("--skip-outage", action="store_true", help="no run with Redis paused")
    parser.add_argument(
        "--redis-outage-only", action="store_true", help="only the run with Redis paused"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="with --baseline: loads of each page, now and then in turn; the best of each",
    )
    parser.add_argument(
        "--only",
        help="comma-separated words: only the rows whose names hold one (and the health check, "
        "the ratios' reference), e.g. --only CSV,BibTeX,person",
    )
    args = parser.parse_args()
    if args.only:
        words = [word.strip().lower() for word in args.only.split(",") if word.strip()]
        PAGES[:] = [
            (name, path)
            for name, path in PAGES
            if name == "health check" or any(word in name.lower() for word in words)
        ]
    # generate_data.py numbers the initiatives it adds up to --initiatives - 1 (a page that
    # does not exist would measure the 404 instead, as this row did when the count was 300).
    names = [name for name, _ in PAGES]
    if "initiative" in names:
        PAGES[names.index("initiative")] = (
            "initiative",
            f"/initiatives/bench-initiative-{args.initiatives - 1}/",
        )

    load = load_wrk if shutil.which("wrk") else load_python
    print(
        f"Load: {'wrk' if load is load_wrk else 'Python client (install wrk for truer figures)'}, "
        f"{args.connections} connections, {args.seconds} s per page; "
        f"{os.cpu_count()} CPU cores; data: {args.initiatives} initiatives, {args.links} links."
    )
    workdir = Path(tempfile.mkdtemp(prefix="ioisite-pagebench-"))
    timing = (args.seconds, args.connections, load)
    try:
        redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}" if redis_answers() else None
        # Production without Redis: the page cache in files every process shares.
        env = base_env(workdir, f"sqlite:///{workdir}/bench.sqlite3", None)
        prepare(env, args.initiatives, args.links)
        if args.redis_outage_only:
            redis_outage(dict(env, REDIS_URL=redis_url or ""), *timing)
            return
        queries = uncached_queries(env)
        runs, notes = {}, []
        for run, run_env, cache_seconds in [
            ("files, cached", env, 300),
            ("files, uncached", env, 0),
            ("Redis, cached", dict(env, REDIS_URL=redis_url) if redis_url else None, 300),
        ]:
            if run_env is None or (args.baseline and cache_seconds == 0):
                continue  # with a baseline, uncached is measured beside it (below)
            if "Redis" in run:
                flush_redis_db(REDIS_DB)
            runs[run], memory, started = measure(run_env, *timing, cache_seconds)
            notes.append(
                f"{run}: workers {', '.join(f'{m:.0f} MB' for m in memory)}, "
                f"first page {started:.2f} s after start"
            )
        baseline = None
        if args.baseline:
            root = Path(args.baseline).resolve()
            base_env_ = dict(
                base_env(workdir, f"sqlite:///{workdir}/baseline.sqlite3", None),
                DJANGO_STATIC_ROOT=str(workdir / "baseline-static"),
                PYTHONPATH=str(root),
            )
            prepare(base_env_, args.initiatives, args.links, root)
            uncached, baseline = measure_side_by_side(
                env, base_env_, root, *timing, rounds=args.rounds
            )
            runs = {"files, cached": runs["files, cached"], "files, uncached": uncached, **runs}
            runs["394a8ec (no Redis: uncached)"] = baseline
        bench("SQLite: the page cache in files (no Redis) and in Redis", runs, queries, baseline)
        print("\n" + "\n".join(notes))
        if not args.skip_outage:
            redis_outage(dict(env, REDIS_URL=redis_url or ""), *timing)

        if args.skip_postgres:
            return
        if answers("127.0.0.1", 5432) and redis_answers():
            database = os.environ.get("BENCH_POSTGRES_DB", "ioisite_bench")
            fresh_postgres_database(database)
            env = base_env(
                workdir,
                f"postgres://postgres@127.0.0.1:5432/{database}",
                f"redis://127.0.0.1:6379/{REDIS_DB}",
            )
            flush_redis_db(REDIS_DB)
            prepare(env, args.initiatives, args.links)
            runs = {}
            for run, cache_seconds in [("Redis, cached", 300), ("Redis, uncached", 0)]:
                runs[run], _, _ = measure(env, *timing, cache_seconds)
            bench("PostgreSQL and Redis", runs, uncached_queries(env, profile=False))
        else:
            print("\nPostgreSQL or Redis does not answer on 127.0.0.1: second run skipped.")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
