"""Link health: find every address the site links to, check them, and remember the answers.

Three steps, kept apart so that no database transaction is open while the network is waited on:
`collect()` reads the database, `check()` only talks HTTP (and never to an internal address:
guard.py), `store()` writes in short transactions of STORE_BATCH addresses each. One run at a
time, across processes and machines (`RunLock`)."""

import asyncio
import os
import socket
import sys
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from pages.models.impact import ImpactHighlight
from pages.models.site_settings import OrganisationSettings, OrganisationWording

from .guard import Guard, GuardedTransport, InternalAddress
from .models import CheckedURL, Link, LinkCheckLock, URLUsage
from .scan import Found, Usage, scan_page, walk_raw_page_ids, walk_stream

USER_AGENT = (
    "IOI-LinkChecker/1.0 (+https://investinopen.org/; checks that links on the IOI site work)"
)
Status = CheckedURL.Status
FAILURES = (Status.BROKEN, Status.UNREACHABLE)


@dataclass
class Result:
    url: str
    status: str
    http_code: int | None = None
    final_url: str = ""
    permanent_redirect: bool = False
    error: str = ""


# 1. Collect (database reads only)


def collect():
    found = Found()
    for link in Link.objects.all():
        found.add_url(
            link.url,
            Usage(
                f"Link “{link.title}”", reverse("wagtailsnippets_pages_link:edit", args=[link.pk])
            ),
        )
    for page in Page.objects.all().specific().iterator():
        usage = Usage(f"Page “{page.title}”", reverse("wagtailadmin_pages:edit", args=[page.pk]))
        scan_page(page, found, usage)
    for highlight in ImpactHighlight.objects.select_related("page"):
        found.add_url(
            highlight.source_url,
            Usage(
                f"Impact highlight “{highlight.figure}” on “{highlight.page.title}”",
                reverse("wagtailadmin_pages:edit", args=[highlight.page_id]),
            ),
        )
    org = OrganisationSettings.load()
    usage = Usage(
        "Organisation settings",
        reverse("wagtailsettings:edit", args=["pages", "organisationsettings"]),
    )
    for url in (org.website_url, org.newsletter_url):
        found.add_url(url, usage)
    walk_stream(org.social_profiles.stream_block, org.social_profiles, found, usage)
    for wording in OrganisationWording.objects.select_related("locale"):
        usage = Usage(
            f"Organisation wording ({wording.locale.get_display_name()})",
            reverse("wagtailsnippets_pages_organisationwording:edit", args=[wording.pk]),
        )
        walk_stream(wording.footer_links.stream_block, wording.footer_links, found, usage)
        walk_raw_page_ids(wording.footer_links.raw_data, found, usage)
    return found


def check_internal(page_ids):
    """Internal links against the page tree, without HTTP."""
    pages = Page.objects.in_bulk(page_ids)
    results = []
    for page_id in page_ids:
        page = pages.get(page_id)
        if page is None:
            results.append(
                Result(internal_key(page_id), Status.BROKEN, error="The page was deleted.")
            )
        elif not page.live:
            results.append(
                Result(
                    internal_key(page_id), Status.BROKEN, error=f"“{page.title}” is not published."
                )
            )
        else:
            results.append(Result(internal_key(page_id), Status.OK, final_url=page.url or ""))
    return results


def internal_key(page_id):
    return f"page:{page_id}"


# 2. Check (network only)


@dataclass
class CheckSettings:
    concurrency: int = 10
    per_host: int = 2
    timeout: float = 10.0
    max_redirects: int = 10

    @property
    def deadline(self):
        """All the time one address may take (HEAD, GET, redirects): a server that answers a
        byte at a time cannot hold the check, and the lock, for ever."""
        return self.timeout * 3


async def check_one(client, url, host_limits, limit, deadline):
    try:
        host = urlsplit(url).netloc.lower()
    except ValueError:
        return Result(url, Status.BROKEN, error="Not a valid web address.")
    async with limit, host_limits[host]:
        try:
            async with asyncio.timeout(deadline):
                response = await client.head(url)
                if response.status_code >= 400:
                    # Many servers answer HEAD badly (405, 403, 404): ask again as a reader would.
                    async with client.stream("GET", url) as streamed:
                        response = streamed
        except InternalAddress as refused:
            return Result(url, Status.INTERNAL, error=internal_error(url, refused))
        except (httpx.InvalidURL, ValueError) as error:
            return Result(url, Status.BROKEN, error=f"Not a valid web address: {error}"[:300])
        except httpx.TooManyRedirects:
            return Result(url, Status.BROKEN, error="Too many redirects (a redirect loop?).")
        except (httpx.TimeoutException, TimeoutError):
            return Result(url, Status.UNREACHABLE, error="No answer before the time limit.")
        except httpx.HTTPError as error:
            return Result(url, Status.UNREACHABLE, error=f"{type(error).__name__}: {error}"[:300])
    final_url = str(response.url)
    if response.status_code >= 400:
        return Result(url, Status.BROKEN, response.status_code, final_url)
    if response.history:
        permanent = all(hop.status_code in (301, 308) for hop in response.history)
        return Result(url, Status.REDIRECTED, response.status_code, final_url, permanent)
    return Result(url, Status.OK, response.status_code, final_url)


def internal_error(url, refused):
    where = (
        refused.address
        if refused.host == refused.address
        else f"{refused.host} ({refused.address})"
    )
    if httpx.URL(url).raw_host.decode("ascii") != refused.host:
        return f"It redirects to {where}, an address on an internal network."[:300]
    return (
        f"{where} is on an internal network (this machine, a private network or a cloud's "
        "metadata service): the checker does not go there."
    )[:300]


async def check_external(urls, options, progress=None, guard=None):
    limit = asyncio.Semaphore(options.concurrency)
    host_limits = defaultdict(lambda: asyncio.Semaphore(options.per_host))
    async with httpx.AsyncClient(
        transport=GuardedTransport(
            guard or Guard.from_settings(),
            httpx.Limits(max_connections=options.concurrency),
        ),
        headers={"User-Agent": USER_AGENT},
        timeout=options.timeout,
        follow_redirects=True,
        max_redirects=options.max_redirects,
    ) as client:
        jobs = [check_one(client, url, host_limits, limit, options.deadline) for url in urls]
        results = []
        for job in asyncio.as_completed(jobs):
            results.append(await job)
            if progress:
                progress(len(results), len(jobs))
    return results


KEEP_ALIVE_SECONDS = 30


def check(urls, options=None, progress=None, guard=None, keep_alive=None):
    """Check the addresses in a thread of their own (so this works from plain code and from a
    thread that already runs an event loop: an async worker, a browser-driving test), while
    this thread calls `keep_alive` now and then (the run renews its lock)."""
    job = check_external(list(urls), options or CheckSettings(), progress, guard)
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(asyncio.run, job)
        # Ends with the check, which gives each address at most `deadline` seconds.
        while not running.done():
            wait([running], timeout=KEEP_ALIVE_SECONDS)
            if keep_alive and not running.done():
                keep_alive()
        return running.result()


# 3. Store (short transactions)

STORE_BATCH = 50


def store(found, results, after_batch=None):
    """STORE_BATCH addresses to a transaction, each short, so other writers (the contact form;
    SQLite lets one write at a time) never wait long. Addresses no longer used go at the end."""
    now = timezone.now()
    places = dict(found.external)
    places.update((internal_key(page_id), usages) for page_id, usages in found.internal.items())
    for start in range(0, len(results), STORE_BATCH):
        with transaction.atomic():
            store_batch(results[start : start + STORE_BATCH], places, now)
        if after_batch:
            after_batch()
    CheckedURL.objects.filter(checked_at__lt=now).delete()
    URLUsage.objects.exclude(url__in=CheckedURL.objects.values("url")).delete()


def store_batch(results, places, now):
    urls = [result.url for result in results]
    previous = dict(
        CheckedURL.objects.filter(url__in=urls).values_list("url", "consecutive_failures")
    )
    rows = [
        CheckedURL(
            url=result.url,
            status=result.status,
            http_code=result.http_code,
            final_url=result.final_url,
            permanent_redirect=result.permanent_redirect,
            error=result.error,
            checked_at=now,
            consecutive_failures=(
                previous.get(result.url, 0) + 1 if result.status in FAILURES else 0
            ),
        )
        for result in results
    ]
    # An upsert: a row that another run wrote meanwhile is updated, where an insert would stop
    # on the unique address and lose this run's results.
    CheckedURL.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["url"],
        update_fields=[
            "status",
            "http_code",
            "final_url",
            "permanent_redirect",
            "error",
            "checked_at",
            "consecutive_failures",
        ],
    )
    URLUsage.objects.filter(url__in=urls).delete()
    URLUsage.objects.bulk_create(
        row for url in urls for row in usage_rows(url, places.get(url, []))
    )


def usage_rows(key, places):
    distinct = dict.fromkeys((place.label[:300], place.edit_url) for place in places)
    return [URLUsage(url=key, label=label, edit_url=edit_url) for label, edit_url in distinct]


# The whole run, one at a time


class CheckRunning(Exception):
    """Another run holds the lock: this one checks nothing."""


LOCK_ROW = 1
LOCK_LEASE = timedelta(minutes=10)
RENEW_SECONDS = 60


class RunLock:
    """At most one link check at a time, on any machine sharing the database: a row that a run
    holds until its lease expires (LinkCheckLock), taken by a single conditional UPDATE, which
    SQLite and PostgreSQL both apply atomically. The run renews the lease while it lasts; a run
    that dies frees it within LOCK_LEASE."""

    def __init__(self):
        self.token = uuid.uuid4().hex
        self.holder = f"{socket.gethostname()}, process {os.getpid()}"[:200]
        self.renewed = 0.0

    def __enter__(self):
        LinkCheckLock.objects.get_or_create(pk=LOCK_ROW)
        now = timezone.now()
        free = Q(expires_at__isnull=True) | Q(expires_at__lt=now)
        taken = LinkCheckLock.objects.filter(free, pk=LOCK_ROW).update(
            holder=self.holder, token=self.token, started_at=now, expires_at=now + LOCK_LEASE
        )
        if not taken:
            held = LinkCheckLock.objects.get(pk=LOCK_ROW)
            raise CheckRunning(
                f"Another link check is running (on {held.holder}, since "
                f"{when(held.started_at)}). Nothing was checked: try again when it has "
                f"finished, or after {when(held.expires_at)} if it has stopped without "
                "finishing."
            )
        self.renewed = time.monotonic()
        return self

    def renew(self):
        if time.monotonic() - self.renewed < RENEW_SECONDS:
            return
        held = LinkCheckLock.objects.filter(pk=LOCK_ROW, token=self.token).update(
            expires_at=timezone.now() + LOCK_LEASE
        )
        if not held:
            raise CheckRunning(
                "This link check was too slow to renew its lock, and another run took it "
                "over: stopped before storing the rest."
            )
        self.renewed = time.monotonic()

    def __exit__(self, *exc):
        LinkCheckLock.objects.filter(pk=LOCK_ROW, token=self.token).update(
            token="", expires_at=None
        )


def when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else "?"


@dataclass
class Summary:
    counts: Counter
    seconds: float

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def failed(self):
        return sum(self.counts[status] for status in FAILURES)

    def __str__(self):
        parts = [f"{self.counts[s]} {s.label.lower()}" for s in Status if s != Status.INTERNAL]
        parts.append(f"{self.counts[Status.INTERNAL]} not checked (internal address)")
        return f"Checked {self.total} links in {self.seconds:.1f}s: {', '.join(parts)}."


def run(options=None, progress=None):
    """Raises CheckRunning when another run holds the lock."""
    started = time.monotonic()
    with RunLock() as lock:
        found = collect()
        results = check(found.external, options, progress, keep_alive=lock.renew)
        results += check_internal(list(found.internal))
        store(found, results, after_batch=lock.renew)
    return Summary(Counter(r.status for r in results), time.monotonic() - started)


def terminal_progress(stream=sys.stderr, width=30):
    """A progress bar, only when someone is watching a terminal."""
    if not stream.isatty():
        return None

    def show(done, total):
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def default_options():
    return CheckSettings(**getattr(settings, "LINKCHECK", {}))
