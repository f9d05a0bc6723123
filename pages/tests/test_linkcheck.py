"""The link checker against a real local HTTP server: every kind of answer, classified."""

import asyncio
import io
import socket

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from pages.links import checker
from pages.links.models import CheckedURL, Link, URLUsage
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


def check_one(url):
    (result,) = checker.check([url], FAST)
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
    assert "1 ok, 1 redirected, 2 broken, 1 unreachable." in out
    gone = CheckedURL.objects.get(url=server.url("/gone"))
    assert (gone.status, gone.http_code, gone.consecutive_failures) == ("broken", 410, 1)
    assert gone.checked_at is not None

    run_command()
    assert CheckedURL.objects.get(url=server.url("/gone")).consecutive_failures == 2
    assert CheckedURL.objects.get(url=server.url("/ok")).consecutive_failures == 0


def test_command_exits_zero_when_all_is_well(server, offline_site):
    Link.objects.create(title="Fine", url=server.url("/ok"))
    code, out = run_command()
    assert code == 0 and "1 ok, 0 redirected, 0 broken, 0 unreachable" in out


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
