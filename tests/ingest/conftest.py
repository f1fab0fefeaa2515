"""A real HTTP server on 127.0.0.1 (stdlib, in a thread), a fake clock, and file helpers."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsfuse.config import FetchOptions


@dataclass
class Reply:
    """What the local server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    """Sleep this long after the headers, before the body (to trip a read timeout)."""
    length: bool = True
    """Send Content-Length; without it the body ends when the connection closes."""


@dataclass(frozen=True)
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]


Route = Reply | Callable[[Seen], Reply]


class LocalServer:
    """Routes by path; anything unrouted (robots.txt included) is a 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                server.seen.append(seen)
                route = server.routes.get(self.path.split("?")[0], Reply(404, b"not here"))
                reply = route(seen) if callable(route) else route
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.length:
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if reply.delay_s:
                    self.wfile.flush()
                    time.sleep(reply.delay_s)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.seen]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.start()
    yield local
    local.stop()


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fetch_opts() -> FetchOptions:
    """Fast, local-friendly options: no waiting between requests, short timeouts."""
    return FetchOptions(timeout_s=2.0, min_interval_s=0.0, retries=0, max_redirects=3)


def build_warc(pages: list[tuple[str, bytes, str]], *, gzip: bool, extras: bool = True) -> bytes:
    """A small WARC (per-record gzip when `gzip`): (url, body, content type) responses.

    With `extras`, also a warcinfo, a request, a PNG response, a 404 HTML response and a
    metadata record, which ingest must skip.
    """
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)

    def _write(record: Any) -> None:
        writer.write_record(record)
        record.raw_stream.close()  # warcio may spool a payload to a temporary file

    def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
        http = StatusAndHeaders(
            status, [("Content-Type", ctype), ("X-Served-By", "fixture")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),  # with a length, warcio needs no temporary file
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-05T06:07:08Z"},
        )
        _write(record)

    if extras:
        _write(writer.create_warcinfo_record("fixture.warc", {"software": "tests"}))
    for index, (url, body, ctype) in enumerate(pages):
        if extras and index == 1:
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.test")], is_http_request=True)
            _write(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
            response("http://x.test/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
            response("http://x.test/gone", b"<html>gone</html>", "text/html", "404 Not Found")
        response(url, body, ctype)
    if extras:
        _write(
            writer.create_warc_record(
                "http://x.test/meta",
                "metadata",
                payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                length=17,
            )
        )
    return buffer.getvalue()


def article_html(n: int, size: int = 3000) -> bytes:
    """A fictional news page, `size` bytes or so."""
    filler = f"The Velmora harbour council met for the {n}th time to discuss the ferry. " * (
        size // 70 + 1
    )
    return (
        f"<html><head><title>Story {n}</title></head><body><article><p>{filler}</p>"
        "</article></body></html>"
    ).encode()
