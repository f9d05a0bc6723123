"""Benchmark: import a Ghost export of 1,000 posts (`manage.py import_ghost`) into the seeded
site; print the time it took, a second run's time (nothing to change), and the queries the
news index then costs against its budget (pages/tests/test_query_budget.py).

    make bench            (or: .venv/bin/python bench/ghost_import.py [--posts N])

Runs on a throwaway SQLite database with the development settings."""

import argparse
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NEWS_INDEX_BUDGET = 15


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ioisite-bench-ghost-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ioisite.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command

    from pages.tests.ghost_exports import many_posts, write

    call_command("migrate", verbosity=0)
    call_command("load_ioi_content", verbosity=0, stdout=StringIO())
    export = write(workdir / "ghost.json", many_posts(args.posts))
    before = news_queries()
    size = export.stat().st_size

    started, cpu = time.perf_counter(), time.process_time()
    out = StringIO()
    call_command("import_ghost", str(export), stdout=out)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    summary = out.getvalue().strip().splitlines()[-1]
    started = time.perf_counter()
    out = StringIO()
    call_command("import_ghost", str(export), stdout=out)
    second = time.perf_counter() - started

    after = news_queries()

    print(f"Ghost import: {args.posts} posts ({size / 1e6:.1f} MB of JSON)")
    print(f"  first run   {first:6.1f} s, {first_cpu:.1f} s of CPU  ({summary})")
    print(f"  load average then: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  second run  {second:6.1f} s  ({out.getvalue().strip().splitlines()[-1]})")
    for url, (status, count) in after.items():
        was_status, was = before[url]
        print(
            f"  {url:<26} {status}  {count} queries (before the import: {was_status}, {was}; "
            f"budget on the test site: {NEWS_INDEX_BUDGET})"
        )


def news_queries():
    """The news index's and a post's queries, uncached: {address: (status, queries)}."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    costs = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        client.get("/")
        for url in ("/news/", "/news/?page=2", "/news/?tag=funding&page=2", "/news/many-7/"):
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            costs[url] = (status, len(queries))
    return costs


if __name__ == "__main__":
    main()
