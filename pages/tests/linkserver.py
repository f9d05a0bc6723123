"""A real HTTP server on 127.0.0.1 for the link checker's tests and benchmark: each path
answers the way some website out there does."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    routes = {
        "/ok": (200, None),
        "/moved": (301, "/ok"),
        "/found": (302, "/ok"),
        "/missing": (404, None),
        "/gone": (410, None),
        "/error": (500, None),
        "/loop-a": (301, "/loop-b"),
        "/loop-b": (301, "/loop-a"),
    }

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections_now += 1
            self.server.peak_connections = max(
                self.server.peak_connections, self.server.connections_now
            )

    def finish(self):
        try:
            super().finish()
        finally:
            with self.server.lock:
                self.server.connections_now -= 1

    def answer(self, with_body):
        server = self.server
        with server.lock:
            server.open_now += 1
            server.peak = max(server.peak, server.open_now)
            server.requests.append((self.command, self.path, self.headers.get("User-Agent")))
            server.host_headers.append(self.headers.get("Host"))
        if server.shared is not None:
            server.shared.enter()
        answering = True

        def answered():
            # Counted out before the answer is sent: once the client has it, it may start its
            # next request at once, and that one must not be counted beside this one.
            nonlocal answering
            if answering:
                answering = False
                with server.lock:
                    server.open_now -= 1
                if server.shared is not None:
                    server.shared.leave()

        try:
            if server.on_request:
                server.on_request(self)  # while the client is still waiting for the answer
            if server.delay_seconds:
                time.sleep(server.delay_seconds)  # a far-away server
            path = self.path.split("?")[0]
            if path.startswith("/drip"):
                self.drip(server.slow_seconds)
                return
            if path.startswith("/slow"):
                time.sleep(server.slow_seconds)
                status, location = 200, None
            elif path == "/redirect":  # to anywhere: /redirect?to=http://...
                status, location = 302, parse_qs(urlsplit(self.path).query)["to"][0]
            elif path.startswith("/no-head") and self.command == "HEAD":
                status, location = 405, None
            elif path.startswith("/no-head") or path.startswith("/page/"):
                status, location = 200, None
            else:
                status, location = self.routes.get(path, (404, None))
            body = b"ok" if status == 200 else b"not ok"
            answered()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        finally:
            answered()

    def drip(self, seconds):
        """A server that answers a byte at a time, each soon enough to keep a read timeout
        from firing, for `seconds` in all."""
        self.close_connection = True
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(int(seconds / 0.05)):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass  # the client gave up, as it should

    def do_GET(self):
        self.answer(with_body=True)

    def do_HEAD(self):
        self.answer(with_body=False)


class InFlight:
    """Requests being answered at once across several servers (several "hosts")."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def enter(self):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self):
        with self.lock:
            self.now -= 1


class LinkServer:
    """Start with `with LinkServer() as server:`; `server.url("/ok")` gives an address. Each
    server is a host of its own to the checker (its port differs); servers given the same
    `shared` InFlight count their requests in flight together."""

    def __init__(
        self,
        host="127.0.0.1",
        slow_seconds=2.0,
        on_request=None,
        delay_seconds=0.0,
        shared=None,
    ):
        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()
        self.httpd.open_now = 0
        self.httpd.peak = 0
        self.httpd.connections_now = 0
        self.httpd.peak_connections = 0
        self.httpd.requests = []
        self.httpd.host_headers = []
        self.httpd.slow_seconds = slow_seconds
        self.httpd.on_request = on_request
        self.httpd.delay_seconds = delay_seconds
        self.httpd.shared = shared
        self.host = host
        self.port = self.httpd.server_address[1]

    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    @property
    def peak(self):
        """The most requests being answered at once."""
        return self.httpd.peak

    @property
    def peak_connections(self):
        """The most connections open at once."""
        return self.httpd.peak_connections

    @property
    def requests(self):
        return self.httpd.requests

    @property
    def host_headers(self):
        """The Host header of each request, in turn."""
        return self.httpd.host_headers

    def __enter__(self):
        # A short poll, so that stopping the server takes a moment, not half a second.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
