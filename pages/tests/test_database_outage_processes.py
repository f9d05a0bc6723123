"""The database stopped under load, across processes: gunicorn with two workers and production
settings, the seeded site on a SQLite file, the page cache in a Redis of the test's own. The
database's folder is moved away mid-test (every new connection then fails as it would with the
file gone) and put back. Expected: no 500 at all; cached pages 200; uncached pages and posts
503 with Retry-After; 200 again from the first request after; one warning per worker each way.

Connections are not kept between requests here (DATABASE_CONN_MAX_AGE=0): a kept SQLite
connection holds the file open, and moving it away would not be an outage for that worker."""

import collections
import re
import sys
from collections import Counter

import httpx
import pytest

from .servers import copy_site, site_env, start_gunicorn, start_redis, stop

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="process groups (Linux only)"),
    pytest.mark.same_on_every_database,  # its site is a SQLite file of its own
]

CACHED = ["/", "/about/", "/contact/"]  # the contact page is cached like any page
UNCACHED = ["/research/", "/search/?q=open", "/no-such-page/", "/es/", "/news/"]
ROUNDS = 8


@pytest.mark.slow
def test_a_database_stopped_under_load_answers_503_never_500(tmp_path, released_site):
    redis = start_redis()
    workdir = tmp_path
    copy_site(released_site, workdir)
    (workdir / "db").mkdir()
    (workdir / "site.sqlite3").rename(workdir / "db" / "site.sqlite3")
    env = site_env(
        workdir,
        redis.port,
        DATABASE_URL=f"sqlite:///{workdir}/db/site.sqlite3",
        DATABASE_CONN_MAX_AGE="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    log_path = workdir / "gunicorn.log"
    with open(log_path, "w") as log:
        gunicorn, url = start_gunicorn(env, workers=2, log=log)
    try:
        client = httpx.Client(base_url=url, timeout=20, headers={"Host": "127.0.0.1"})
        for path in CACHED:
            client.get(path)
            assert client.get(path).headers.get("X-Page-Cache") == "hit"
        contact = client.get("/contact/").text
        token = re.search(r'name="form_token" value="([^"]+)"', contact)[1]

        (workdir / "db").rename(workdir / "db-away")
        during = collections.defaultdict(Counter)
        retry_after = collections.defaultdict(set)
        texts_kept = 0
        for _ in range(ROUNDS):
            for path in CACHED + UNCACHED:
                response = client.get(path)
                during[path][response.status_code] += 1
                if response.status_code != 200:
                    retry_after[path].add(response.headers.get("Retry-After"))
            post = client.post(
                "/contact/",
                data={
                    "form_token": token,
                    "name": "Ada",
                    "email": "ada@example.org",
                    "purpose": "",
                    "message": "Written while the database was away.",
                    "website": "",
                },
            )
            during["POST /contact/"][post.status_code] += 1
            retry_after["POST /contact/"].add(post.headers.get("Retry-After"))
            texts_kept += "Written while the database was away." in post.text

        (workdir / "db-away").rename(workdir / "db")
        first_after = client.get("/research/").status_code
        after = Counter(client.get(path).status_code for _ in range(10) for path in UNCACHED)
    finally:
        stop(gunicorn)
        stop(redis)

    print("\nduring the outage:", {path: dict(counts) for path, counts in during.items()})
    print("after:", dict(after), "first request after:", first_after)
    print("Retry-After:", dict(retry_after), "contact texts kept:", texts_kept, "of", ROUNDS)
    assert all(set(during[path]) == {200} for path in CACHED), during
    assert all(set(during[path]) == {503} for path in UNCACHED), during
    assert set(during["POST /contact/"]) == {503}, during
    assert all(retry_after[path] == {"30"} for path in UNCACHED), retry_after
    assert retry_after["POST /contact/"] == {"60"} and texts_kept == ROUNDS
    assert first_after == 200
    assert set(after) <= {200, 404}, after  # /no-such-page/ is a 404 again

    text = log_path.read_text()
    started = text.count("The database cannot be reached")
    ended = text.count("The database answers again")
    print("log: started", started, "ended", ended)
    assert 1 <= started <= 2 and 1 <= ended <= started, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
