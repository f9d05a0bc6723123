"""Benchmark: check 1,000 library links against local servers; print the time taken and the
most connections open at once, overall and per host.

    make bench            (or: .venv/bin/python bench/link_check.py [--links N] [--delay S])

Runs on a throwaway SQLite database; every request goes to 127.0.0.x on this machine."""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
# What each server answers, in turn: mostly fine, some moved, some gone.
PATHS = ["/ok", "/ok", "/ok", "/ok", "/ok", "/ok", "/moved", "/found", "/missing", "/gone"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds each answer takes")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="ioisite-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ioisite.settings.dev"
    # The checker fetches no internal address unless allowed: these servers are all on 127.0.0.x.
    os.environ["LINK_CHECKER_ALLOWED_HOSTS"] = ",".join(HOSTS)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from wagtail.models import Locale

    from pages.links import checker
    from pages.links.models import Link
    from pages.tests.linkserver import LinkServer

    call_command("migrate", verbosity=0)
    servers = [LinkServer(host, delay_seconds=args.delay).__enter__() for host in HOSTS]
    try:
        english = Locale.get_default()  # bulk_create skips the save() that sets it
        Link.objects.bulk_create(
            Link(
                locale=english,
                title=f"Link {n}",
                url=servers[n % len(servers)].url(f"{PATHS[n % len(PATHS)]}?n={n}"),
            )
            for n in range(args.links)
        )
        options = checker.default_options()
        started = time.monotonic()
        summary = checker.run(options)
        elapsed = time.monotonic() - started
    finally:
        for server in servers:
            server.__exit__(None, None, None)

    per_host = [server.peak_connections for server in servers]
    print(
        f"Link check benchmark: {args.links} links on {len(HOSTS)} local hosts, "
        f"{args.delay * 1000:.0f} ms per answer, limits {options.concurrency} in flight / "
        f"{options.per_host} per host ({settings.LINKCHECK})"
    )
    print(f"  {summary}")
    print(f"  time: {elapsed:.2f} s ({args.links / elapsed:.0f} links/s)")
    print(f"  requests: {sum(len(s.requests) for s in servers)}")
    print(f"  peak requests in flight per host: {[server.peak for server in servers]}")
    print(
        f"  peak open connections per host (idle keep-alive ones included): {per_host}; "
        f"all hosts together at most {sum(per_host)}"
    )


if __name__ == "__main__":
    main()
