"""The link checker against a real local HTTP server: every kind of answer, classified; no
internal address fetched; one run at a time; results stored in short transactions."""

import asyncio
import io
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpcore
import pytest
from django.core.management import CommandError, call_command
from django.db import connections, transaction
from django.utils import timezone

from pages.contacts.models import ContactMessage
from pages.links import checker
from pages.links.guard import Guard, GuardedBackend, InternalAddress, is_outside, system_resolve
from pages.links.models import CheckedURL, Link, LinkCheckLock, URLUsage
from pages.links.scan import Found, Usage
from pages.links.tasks import check_links_task
from pages.models import ImpactHighlight
from pages.tests.linkserver import InFlight, LinkServer

pytestmark = pytest.mark.django_db
FAST = checker.CheckSettings(concurrency=10, per_host=4, timeout=0.5)


@pytest.fixture
def server():
    with LinkServer(slow_seconds=1.5) as running:
        yield running


@pytest.fixture
def offline_site(site_tree):
    """The small site, without the builders' example.org sources: nothing here may go to the
    internet."""
    ImpactHighlight.objects.update(source_url="")
    return site_tree


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def check_one(url, guard=None):
    (result,) = checker.check([url], FAST, guard=guard)
    return result


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/ok", "ok", 200),
        ("/moved", "redirected", 200),
        ("/missing", "broken", 404),
        ("/gone", "broken", 410),
        ("/error", "broken", 500),
        ("/no-head", "ok", 200),  # HEAD refused, GET fine
    ],
)
def test_answers_are_classified(server, path, status, code):
    result = check_one(server.url(path))
    assert (result.status, result.http_code) == (status, code)


def test_a_permanent_redirect_records_where_it_ends(server):
    permanent = check_one(server.url("/moved"))
    temporary = check_one(server.url("/found"))
    assert permanent.final_url == server.url("/ok") and permanent.permanent_redirect
    assert temporary.status == "redirected" and not temporary.permanent_redirect


def test_a_slow_answer_past_the_timeout_is_unreachable(server):
    result = check_one(server.url("/slow"))
    assert result.status == "unreachable" and "time limit" in result.error


def test_a_refused_connection_is_unreachable():
    result = check_one(closed_port_url())
    assert result.status == "unreachable" and "ConnectError" in result.error


def test_a_redirect_loop_is_broken(server):
    result = check_one(server.url("/loop-a"))
    assert result.status == "broken" and "redirect loop" in result.error


def test_head_falls_back_to_get_and_says_who_is_asking(server):
    check_one(server.url("/no-head"))
    assert [(method, path) for method, path, _ in server.requests] == [
        ("HEAD", "/no-head"),
        ("GET", "/no-head"),
    ]
    assert all(agent.startswith("IOI-LinkChecker/") for _, _, agent in server.requests)


def test_requests_to_one_host_are_bounded_by_the_per_host_limit():
    # Each answer takes a while, so the checker would have many in flight if it could.
    with LinkServer(delay_seconds=0.1) as slow:
        urls = [slow.url(f"/page/{n}") for n in range(24)]
        checker.check(urls, checker.CheckSettings(concurrency=10, per_host=3, timeout=5))
    assert len(slow.requests) == 24
    assert slow.peak == 3


def test_requests_to_all_hosts_together_are_bounded_by_the_overall_limit():
    in_flight = InFlight()
    servers = [LinkServer(delay_seconds=0.1, shared=in_flight) for _ in range(4)]
    for running in servers:
        running.__enter__()
    try:
        urls = [running.url(f"/page/{n}") for running in servers for n in range(12)]
        checker.check(urls, checker.CheckSettings(concurrency=5, per_host=3, timeout=5))
    finally:
        for running in servers:
            running.__exit__(None, None, None)
    assert sum(len(running.requests) for running in servers) == 48
    assert in_flight.peak == 5
    assert all(running.peak <= 3 for running in servers)


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_links", "--timeout", "0.5", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def test_command_stores_results_and_its_summary_and_exit_status_match(server, offline_site):
    for path in ["/ok", "/moved", "/missing", "/gone"]:
        Link.objects.create(title=f"Link {path}", url=server.url(path))
    Link.objects.create(title="Refused", url=closed_port_url())

    code, out = run_command()

    assert code == 1
    assert "Checked 5 links" in out
    assert "1 ok, 1 redirected, 2 broken, 1 unreachable, 0 not checked" in out
    gone = CheckedURL.objects.get(url=server.url("/gone"))
    assert (gone.status, gone.http_code, gone.consecutive_failures) == ("broken", 410, 1)
    assert gone.checked_at is not None

    run_command()
    assert CheckedURL.objects.get(url=server.url("/gone")).consecutive_failures == 2
    assert CheckedURL.objects.get(url=server.url("/ok")).consecutive_failures == 0


def test_command_exits_zero_when_all_is_well(server, offline_site):
    Link.objects.create(title="Fine", url=server.url("/ok"))
    code, out = run_command()
    assert code == 0 and "1 ok, 0 redirected, 0 broken, 0 unreachable, 0 not checked" in out


def test_every_kind_of_use_is_found_and_listed(server, offline_site, organisation):
    library = Link.objects.create(title="A report", url=server.url("/missing"))
    site_tree = offline_site
    initiative = site_tree.initiatives[0]
    initiative.body = [
        {"type": "paragraph", "value": f'<p>See <a href="{server.url("/gone")}">this</a>.</p>'},
        {
            "type": "link_list",
            "value": {
                "heading": "More",
                "links": [
                    {"page": None, "link": library.pk, "url": "", "title": ""},
                    {"page": None, "link": None, "url": server.url("/error"), "title": "Err"},
                    {"page": site_tree.about.pk, "link": None, "url": "", "title": ""},
                ],
            },
        },
    ]
    initiative.save_revision().publish()
    organisation.newsletter_url = server.url("/moved")
    organisation.save()
    site_tree.about.unpublish()

    run_command()

    def places(url):
        return sorted(URLUsage.objects.filter(url=url).values_list("label", flat=True))

    assert places(server.url("/gone")) == ["Page “Initiative 1”"]
    assert places(server.url("/error")) == ["Page “Initiative 1”"]
    assert places(server.url("/missing")) == ["Link “A report”"]
    assert places(server.url("/moved")) == ["Organisation settings"]
    internal = CheckedURL.objects.get(url=f"page:{site_tree.about.pk}")
    assert internal.status == "broken" and "not published" in internal.error
    assert places(internal.url) == ["Page “Initiative 1”"]


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_waiting_on_the_network(offline_site):
    # The check runs in this thread: read this thread's connection from the server's thread,
    # at the moment each request arrives.
    checking = connections["default"]
    seen = []

    def probe(handler):
        seen.append(checking.in_atomic_block)

    with LinkServer(on_request=probe) as slow:
        Link.objects.create(title="A", url=slow.url("/ok"))
        Link.objects.create(title="B", url=slow.url("/missing"))
        run_command()
    assert seen and not any(seen)

    # The probe does see a transaction when one is open.
    seen.clear()
    with LinkServer(on_request=probe) as slow, transaction.atomic():
        checker.check([slow.url("/ok")], FAST)
    assert seen == [True]


def test_the_check_also_runs_from_a_thread_with_an_event_loop(server):
    """As from an async worker, or a test session that drives a browser."""

    async def from_async_code():
        return checker.check([server.url("/ok")], FAST)

    (result,) = asyncio.run(from_async_code())
    assert result.status == "ok"


# The checker stays outside (pages/links/guard.py). The test settings allow 127.0.0.1, for the
# tests above; these empty the list, as production has it, or give the guard one of their own.


@pytest.fixture
def outside_only(settings):
    settings.LINK_CHECKER_ALLOWED_HOSTS = []


def answers(table):
    """DNS answering from a table (other names as the system would), counting the questions."""

    async def resolve(host, port):
        resolve.asked.append(host)
        return table[host] if host in table else await system_resolve(host, port)

    resolve.asked = []
    return resolve


def answers_in_turn(*turns):
    """DNS that answers each question with the next answer (then the last again)."""

    async def resolve(host, port):
        resolve.asked.append(host)
        return turns[min(len(resolve.asked), len(turns)) - 1]

    resolve.asked = []
    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "[::ffff:127.0.0.1]:{port}",
        "2130706433:{port}",  # 127.0.0.1 as one number
        "0x7f.0.0.1:{port}",
        "0:{port}",  # 0.0.0.0, which reaches this machine
    ],
)
def test_a_server_on_this_machine_is_never_asked(server, outside_only, address):
    result = check_one(f"http://{address.format(port=server.port)}/ok")
    assert result.status == "internal", result.error
    assert "internal network" in result.error and result.http_code is None
    assert server.requests == [] and server.peak_connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::1]:8000/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
def test_an_internal_address_is_refused_without_trying_to_connect(outside_only, url):
    started = time.monotonic()
    (result,) = checker.check([url], checker.CheckSettings(timeout=10))
    # A connection attempt would end "unreachable", or wait for the 10 s timeout.
    assert result.status == "internal" and "internal network" in result.error
    assert time.monotonic() - started < 3


def test_a_name_that_resolves_to_an_internal_address_is_not_fetched(server):
    dns = answers(
        {
            "intranet.example": ["127.0.0.1"],
            "metadata.example": ["169.254.169.254"],
            # Public and internal at once: refused whole, before connecting to either.
            "mixed.example": ["93.184.215.14", "10.0.0.3"],
        }
    )
    urls = [
        f"http://intranet.example:{server.port}/ok",
        "http://metadata.example/latest/meta-data/",
        "https://mixed.example/",
    ]
    results = {r.url: r for r in checker.check(urls, FAST, guard=Guard([], resolve=dns))}
    assert {url: r.status for url, r in results.items()} == dict.fromkeys(urls, "internal")
    assert results[urls[0]].error.startswith("intranet.example (127.0.0.1) is on an internal")
    assert "10.0.0.3" in results[urls[2]].error
    assert server.requests == []


def test_a_redirect_to_an_internal_address_is_not_followed():
    with LinkServer() as allowed, LinkServer() as internal:
        guard = Guard(["allowed.example"], resolve=answers({"allowed.example": ["127.0.0.1"]}))
        targets = [
            internal.url("/ok"),
            f"http://localhost:{internal.port}/ok",
            "http://169.254.169.254/latest/meta-data/",
        ]
        urls = [
            f"http://allowed.example:{allowed.port}/redirect?to={quote(target)}"
            for target in targets
        ]
        results = checker.check(urls, FAST, guard=guard)
    assert sorted(r.url for r in results) == sorted(urls)
    assert {r.status for r in results} == {"internal"}
    assert all(r.error.startswith("It redirects to ") for r in results)
    assert [method for method, _, _ in allowed.requests] == ["HEAD"] * 3
    assert internal.requests == [] and internal.peak_connections == 0


def test_the_connection_goes_to_the_address_that_was_judged(server):
    """DNS rebinding: a name that answers an allowed address when judged and an internal one
    when connected to (or the other way round) is connected to at the judged address."""
    rebinding = answers_in_turn(["127.0.0.1"], ["169.254.169.254"])
    result = check_one(
        f"http://rebind.example:{server.port}/ok", Guard(["127.0.0.1"], resolve=rebinding)
    )
    assert result.status == "ok" and rebinding.asked == ["rebind.example"]
    assert server.host_headers == [f"rebind.example:{server.port}"]  # the name, not the address

    rebinding = answers_in_turn(["169.254.169.254"], ["127.0.0.1"])
    result = check_one(
        f"http://rebind.example:{server.port}/ok", Guard(["127.0.0.1"], resolve=rebinding)
    )
    assert result.status == "internal" and rebinding.asked == ["rebind.example"]
    assert len(server.requests) == 1  # still only the first check's


class Rerouted(httpcore.AnyIOBackend):
    """Connects to this machine whatever address it is given: as a transparent proxy, a NAT or
    a resolver library with ideas of its own might."""

    def __init__(self, port):
        self.port = port

    async def connect_tcp(self, host, port, **options):
        return await super().connect_tcp("127.0.0.1", self.port, **options)


def test_the_connected_peer_is_judged_before_a_request_is_sent(server):
    guard = Guard([], resolve=answers({"public.example": ["93.184.215.14"]}))

    async def fetch():
        backend = GuardedBackend(guard, inner=Rerouted(server.port))
        async with httpcore.AsyncConnectionPool(network_backend=backend) as pool:
            await pool.request("HEAD", "http://public.example/ok")

    with pytest.raises(InternalAddress, match="public.example is 127.0.0.1"):
        asyncio.run(fetch())
    assert server.requests == []


@pytest.mark.parametrize(
    ("address", "outside"),
    [
        *[
            (internal, False)
            for internal in [
                "127.0.0.1",
                "127.8.9.10",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "240.0.0.1",
                "255.255.255.255",
                "192.0.2.1",  # documentation
                "::1",
                "::",
                "fe80::1",
                "fe80::1%eth0",
                "fc00::1",
                "fd00:ec2::254",
                "fec0::1",  # site-local
                "ff02::1",
                "::ffff:127.0.0.1",  # IPv4-mapped
                "::ffff:169.254.169.254",
                "::127.0.0.1",  # IPv4-compatible
                "2002:7f00:1::",  # 6to4 of 127.0.0.1
                "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
                "not an address",
            ]
        ],
        ("8.8.8.8", True),
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8, as DNS64 gives an IPv6-only host
    ],
)
def test_what_counts_as_outside(address, outside):
    assert is_outside(address) is outside


def test_the_allowlist_names_hosts_addresses_and_networks():
    guard = Guard(["Intranet.Example.", "10.1.0.0/16", "[fd00::1]", "127.0.0.1"])
    assert guard.permits("intranet.example", "10.9.9.9")
    assert guard.permits("other.example", "10.1.200.3")
    assert not guard.permits("other.example", "10.2.0.1")
    assert guard.permits("other.example", "fd00::1")
    assert not guard.permits("other.example", "fd00::2")
    assert guard.permits("other.example", "::ffff:127.0.0.1")
    assert not guard.permits("other.example", "127.0.0.2")
    assert guard.permits("other.example", "93.184.215.14")


def test_a_malformed_address_is_broken_and_the_check_goes_on(server):
    found = Found()
    for url in ["http://[::1", "http://a..b/", server.url("/ok")]:
        found.add_url(url, Usage("A page"))
    results = {r.url: r.status for r in checker.check(found.external, FAST)}
    assert results == {
        "http://[::1": "broken",
        "http://a..b/": "unreachable",
        server.url("/ok"): "ok",
    }


def test_a_server_that_answers_a_byte_at_a_time_cannot_hold_the_check():
    with LinkServer(slow_seconds=5) as dripping:
        started = time.monotonic()
        result = check_one(dripping.url("/drip"))  # each read within the timeout, 0.5 s
        elapsed = time.monotonic() - started
    assert result.status == "unreachable" and "time limit" in result.error
    assert elapsed < FAST.deadline + 1


# Under production's settings, in processes of their own.


def database_for_other_processes(tmp_path):
    """The test database as an address another process can open: PostgreSQL's own, or a copy
    of SQLite's (which lives in this process's memory) in a file."""
    database = connections["default"]
    if database.vendor == "sqlite":
        path = tmp_path / "site.sqlite3"
        database.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            database.connection.backup(copy)
        return f"sqlite:///{path}"
    config = database.settings_dict
    credentials = f"{quote(config['USER'])}:{quote(config['PASSWORD'] or '')}"
    return f"postgres://{credentials}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


def rows(database_url, sql):
    if database_url.startswith("sqlite:///"):
        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as database:
            return database.execute(sql).fetchall()
    with connections["default"].cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def production(database_url, **environment):
    """`python manage.py check_links` as production runs it: its settings module, its
    environment and nothing of the test settings' (no allowed hosts unless given here)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "LINK_CHECKER_")) and name not in {"REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ioisite.settings.production",
        DJANGO_SECRET_KEY="a-production-like-key-for-the-link-checker-tests",
        DJANGO_SITE_URL="https://www.example.org",
        DATABASE_URL=database_url,
        **environment,
    )
    root = Path(__file__).resolve().parents[2]
    return {"args": [sys.executable, str(root / "manage.py"), "check_links"], "env": env}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_check_links_under_production_settings_requests_no_internal_address(tmp_path, server):
    urls = [
        server.url("/ok"),
        f"http://localhost:{server.port}/ok",
        f"http://[::1]:{server.port}/ok",
        f"http://[::ffff:127.0.0.1]:{server.port}/ok",
        "http://169.254.169.254/latest/meta-data/",
    ]
    for n, url in enumerate(urls):
        Link.objects.create(title=f"Internal {n}", url=url)
    database = database_for_other_processes(tmp_path)

    done = subprocess.run(
        **production(database), capture_output=True, text=True, timeout=120, check=False
    )

    assert done.returncode == 0, done.stderr
    assert "Checked 5 links" in done.stdout
    assert "0 broken, 0 unreachable, 5 not checked (internal address)" in done.stdout
    assert server.requests == [] and server.peak_connections == 0
    stored = rows(database, "SELECT url, status FROM pages_checkedurl")
    assert sorted(stored) == sorted((url, "internal") for url in urls)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_second_check_links_while_one_runs_is_refused(tmp_path):
    checking, finish = threading.Event(), threading.Event()

    def hold(handler):  # the first run waits here, in the middle of its check
        checking.set()
        finish.wait(timeout=60)

    with LinkServer(on_request=hold) as slow:
        Link.objects.create(title="Slow", url=slow.url("/ok"))
        database = database_for_other_processes(tmp_path)
        command = production(database, LINK_CHECKER_ALLOWED_HOSTS="127.0.0.1")
        # The held request outlasts the second run's start-up, however busy the machine: with
        # the default 10 s timeout, the first run could give up on its link first.
        held = {**command, "args": [*command["args"], "--timeout", "90"]}
        first = subprocess.Popen(**held, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert checking.wait(timeout=60), "the first run never reached the server"
            second = subprocess.run(
                **command, capture_output=True, text=True, timeout=60, check=False
            )
        finally:
            finish.set()
            try:
                out, err = first.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                first.kill()
                raise

    assert second.returncode == 2, second.stderr
    assert "Another link check is running" in second.stderr
    assert "Nothing was checked" in second.stderr and second.stdout == ""
    assert first.returncode == 0, err
    assert "1 ok" in out and len(slow.requests) == 1
    assert rows(database, "SELECT status FROM pages_checkedurl") == [("ok",)]
    assert rows(database, "SELECT expires_at FROM pages_linkchecklock") == [(None,)]


def test_a_lock_left_by_a_run_that_stopped_is_taken_over_once_it_expires(server, offline_site):
    Link.objects.create(title="Fine", url=server.url("/ok"))
    now = timezone.now()
    LinkCheckLock.objects.create(
        pk=checker.LOCK_ROW,
        holder="web-1, process 99",
        token="theirs",
        started_at=now - timedelta(minutes=3),
        expires_at=now + timedelta(minutes=7),
    )

    with pytest.raises(CommandError) as refused:
        run_command()
    assert refused.value.returncode == 2
    assert "Another link check is running (on web-1, process 99, since" in str(refused.value)
    assert "Another link check is running" in check_links_task.enqueue().return_value
    assert server.requests == [] and not CheckedURL.objects.exists()

    LinkCheckLock.objects.update(expires_at=now - timedelta(seconds=1))
    code, out = run_command()
    assert code == 0 and "1 ok" in out
    assert LinkCheckLock.objects.get().expires_at is None  # free for the next run


def test_a_run_that_lost_its_lock_stops_storing():
    slow_run = checker.RunLock().__enter__()
    LinkCheckLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with checker.RunLock():
        slow_run.renewed -= checker.RENEW_SECONDS  # its next renewal is due
        results = [checker.Result(f"https://example.org/{n}", "ok") for n in range(120)]
        with pytest.raises(checker.CheckRunning, match="another run took it over"):
            checker.store(Found(), results, after_batch=slow_run.renew)
    assert CheckedURL.objects.count() == checker.STORE_BATCH


@pytest.mark.django_db(transaction=True)
def test_results_are_stored_in_short_transactions_another_writer_gets_between():
    old = "https://example.org/no-longer-used"
    CheckedURL.objects.create(url=old, status="broken", checked_at=timezone.now() - timedelta(1))
    URLUsage.objects.create(url=old, label="A page since deleted")
    found, results = Found(), []
    for n in range(120):
        url = f"https://example.org/{n}"
        found.add_url(url, Usage(f"Page {n}"))
        results.append(checker.Result(url, "ok", 200, url))

    def write_a_message_and_look():
        """What the contact form does, from a connection of its own."""
        ContactMessage.objects.create(name="A reader", email="a@example.org", message="Hello")
        return CheckedURL.objects.filter(status="ok").count()

    seen = []
    with ThreadPoolExecutor(max_workers=1) as contact_form:

        def between_batches():
            in_transaction = connections["default"].in_atomic_block
            stored = contact_form.submit(write_a_message_and_look).result(timeout=30)
            seen.append((stored, in_transaction))

        try:
            checker.store(found, results, after_batch=between_batches)
        finally:
            contact_form.submit(connections.close_all).result(timeout=30)

    # Each batch was committed (another connection sees it) before the next began.
    assert seen == [(50, False), (100, False), (120, False)]
    assert ContactMessage.objects.count() == 3
    assert CheckedURL.objects.count() == 120 and URLUsage.objects.count() == 120
    assert not CheckedURL.objects.filter(url=old).exists()
    assert not URLUsage.objects.filter(url=old).exists()
