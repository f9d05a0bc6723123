"""Link health: find every address the site links to, check them, and remember the answers.

Three steps, kept apart so that no database transaction is open while the network is waited on:
`collect()` reads the database, `check()` only talks HTTP, `store()` writes in one short
transaction."""

import asyncio
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from pages.models.impact import ImpactHighlight
from pages.models.site_settings import OrganisationSettings

from .models import CheckedURL, Link, URLUsage
from .scan import Found, Usage, scan_page, walk_raw_page_ids, walk_stream

USER_AGENT = (
    "IOI-LinkChecker/1.0 (+https://investinopen.org/; checks that links on the IOI site work)"
)
Status = CheckedURL.Status


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
    for stream in (org.social_profiles, org.footer_links):
        walk_stream(stream.stream_block, stream, found, usage)
        walk_raw_page_ids(stream.raw_data, found, usage)
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


async def check_one(client, url, host_limits, limit):
    host = urlsplit(url).netloc.lower()
    async with limit, host_limits[host]:
        try:
            response = await client.head(url)
            if response.status_code >= 400:
                # Many servers answer HEAD badly (405, 403, 404): ask again as a reader would.
                async with client.stream("GET", url) as streamed:
                    response = streamed
        except httpx.TooManyRedirects:
            return Result(url, Status.BROKEN, error="Too many redirects (a redirect loop?).")
        except httpx.TimeoutException:
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


async def check_external(urls, options, progress=None):
    limit = asyncio.Semaphore(options.concurrency)
    host_limits = defaultdict(lambda: asyncio.Semaphore(options.per_host))
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=options.timeout,
        follow_redirects=True,
        max_redirects=options.max_redirects,
        limits=httpx.Limits(max_connections=options.concurrency),
    ) as client:
        jobs = [check_one(client, url, host_limits, limit) for url in urls]
        results = []
        for job in asyncio.as_completed(jobs):
            results.append(await job)
            if progress:
                progress(len(results), len(jobs))
    return results


def check(urls, options=None, progress=None):
    """Check the addresses; callable from plain code and from a thread that already runs an
    event loop (an async worker, a browser-driving test), where the check gets a thread of its
    own."""
    job = check_external(list(urls), options or CheckSettings(), progress)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(job)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, job).result()


# 3. Store (one short transaction)


def store(found, results):
    now = timezone.now()
    with transaction.atomic():
        previous = {c.url: c for c in CheckedURL.objects.all()}
        for result in results:
            old = previous.get(result.url)
            failed = result.status in (Status.BROKEN, Status.UNREACHABLE)
            failures = (old.consecutive_failures if old else 0) + 1 if failed else 0
            CheckedURL.objects.update_or_create(
                url=result.url,
                defaults={
                    "status": result.status,
                    "http_code": result.http_code,
                    "final_url": result.final_url,
                    "permanent_redirect": result.permanent_redirect,
                    "error": result.error,
                    "checked_at": now,
                    "consecutive_failures": failures,
                },
            )
        checked = {r.url for r in results}
        CheckedURL.objects.exclude(url__in=checked).delete()
        URLUsage.objects.all().delete()
        usages = [
            row for url, places in found.external.items() for row in usage_rows(url, places)
        ] + [
            row
            for page_id, places in found.internal.items()
            for row in usage_rows(internal_key(page_id), places)
        ]
        URLUsage.objects.bulk_create(usages)


def usage_rows(key, places):
    distinct = dict.fromkeys((place.label[:300], place.edit_url) for place in places)
    return [URLUsage(url=key, label=label, edit_url=edit_url) for label, edit_url in distinct]


# The whole run


@dataclass
class Summary:
    counts: Counter
    seconds: float

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def failed(self):
        return self.counts[Status.BROKEN] + self.counts[Status.UNREACHABLE]

    def __str__(self):
        parts = ", ".join(f"{self.counts[s]} {s.label.lower()}" for s in Status)
        return f"Checked {self.total} links in {self.seconds:.1f}s: {parts}."


def run(options=None, progress=None):
    started = time.monotonic()
    found = collect()
    results = check(found.external, options, progress) + check_internal(list(found.internal))
    store(found, results)
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
