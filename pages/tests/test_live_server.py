"""The browser tests' live server (conftest.py): on a connection its threads share (SQLite in
memory), requests wait their turn, so that no request runs inside another's transaction; with
connections of their own (PostgreSQL), they are answered in parallel."""

import threading
import time
import urllib.request
from types import SimpleNamespace

import pytest
from django.core.servers.basehttp import WSGIRequestHandler

from conftest import LiveServerOnOneConnection

REQUESTS = 4


def most_requests_at_once(connections_override):
    inside = most = 0
    count = threading.Lock()

    def application(environ, start_response):
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        time.sleep(0.2)
        with count:
            inside -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = LiveServerOnOneConnection(
        ("127.0.0.1", 0), WSGIRequestHandler, connections_override=connections_override
    )
    server.set_app(application)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    answers = []

    def read():
        with urllib.request.urlopen(url, timeout=10) as response:
            answers.append(response.read())

    readers = [threading.Thread(target=read) for _ in range(REQUESTS)]
    try:
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert answers == [b"ok"] * REQUESTS
    return most


@pytest.fixture
def quiet_requests(monkeypatch):
    monkeypatch.setattr(WSGIRequestHandler, "log_message", lambda *args: None)


def test_requests_on_a_shared_connection_wait_their_turn(quiet_requests):
    # Django's server puts the shared connection in each request's thread, and closes it after.
    shared = SimpleNamespace(close=lambda: None)
    assert most_requests_at_once({"default": shared}) == 1


def test_requests_with_connections_of_their_own_are_answered_together(quiet_requests):
    assert most_requests_at_once({}) > 1
