"""Benchmark: one uncached render of each page type, in one process, on the seeded site (what
`make run` serves), with production settings and no page cache. Prints, per page: the
milliseconds of a warm render (the mean of --renders, after three to warm up) and its SQL
queries, with what the page keeps per cache generation already kept (docs/caching.md). A quick
loop for work on the render itself; `bench/page_speed.py` measures the served site under load.

    .venv/bin/python bench/render_time.py [--renders 30] [--profile /research/]

The site is built in a temporary folder (migrations and the seed, about 30 s) unless
--database names a seeded SQLite file from an earlier run (--keep prints where it is)."""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/healthz/",
    "/",
    "/about/",
    "/initiatives/",
    "/initiatives/strategic-support/",
    "/impact/",
    "/contact/",
    "/resources/",
    "/research/",
    "/research/state-of-open-infrastructure-2025/",
    "/research/state-of-open-infrastructure-2025/cite/bibtex/",
    "/news/",
    "/news/infra-finder/",
    "/people/",
    "/catalogue/",
    "/catalogue/zenodo/",
    "/no-such-page/",
    "/es/",
    "/es/contacto/",
    "/es/iniciativas/apoyo-estrategico/",
]


def environment(folder, database):
    return {
        "DJANGO_SETTINGS_MODULE": "ioisite.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_CACHE_DIR": str(folder / "cache"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": "0",
    }


def build(env):
    code = (
        "import django; django.setup(); from django.core.management import call_command as run; "
        "run('migrate', interactive=False, verbosity=0); "
        "run('collectstatic', interactive=False, verbosity=0); "
        "run('load_ioi_content', verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def measure(renders, profile):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/")
    print(f"{'page':58s} {'status':>6s} {'ms':>7s} {'queries':>8s}")
    for path in PAGES:
        for _ in range(3):
            response = client.get(path)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context, seen=queries: (
                seen.append(sql),
                execute(sql, params, many, context),
            )[1]
        ):
            client.get(path)
        times = []
        for _ in range(renders):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        ms = statistics.mean(times)
        print(f"{path:58s} {response.status_code:6d} {ms:7.1f} {len(queries):8d}")
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(renders):
            client.get(profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--profile", help="an address to profile (cProfile, cumulative)")
    parser.add_argument("--database", help="a seeded SQLite file to use instead of building")
    parser.add_argument("--keep", action="store_true", help="keep the built site's folder")
    args = parser.parse_args()
    # An earlier run's site (--database) is used with its folder: its static files and media.
    database = Path(args.database).resolve() if args.database else None
    folder = database.parent if database else Path(tempfile.mkdtemp(prefix="ioi-render-"))
    database = database or folder / "site.sqlite3"
    env = environment(folder, database)
    if not args.database:
        print(f"Building the seeded site in {folder} ...", flush=True)
        build(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    try:
        measure(args.renders, args.profile)
    finally:
        if args.keep or args.database:
            print(f"The site: {folder} (--database {database})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
