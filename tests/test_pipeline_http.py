"""Ingest over HTTP end to end, against a real server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsfuse.api import open_newsfuse
from newsfuse.config import Settings
from newsfuse.model import RejectReason
from pagegen import news_html

ETAG = '"v1"'


class _Site(BaseHTTPRequestHandler):
    requests: list[tuple[str, str | None, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        _Site.requests.append(
            (self.path, self.headers.get("If-None-Match"), self.headers.get("User-Agent", ""))
        )
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/news/1.html":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.end_headers()
                return
            self._send(200, news_html(1).encode(), "text/html; charset=utf-8", etag=ETAG)
        elif self.path == "/private/x.html":
            self._send(200, news_html(2).encode(), "text/html")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, ctype: str, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def site() -> Iterator[str]:
    _Site.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _settings(tmp_path: Path) -> Settings:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'web.db'}")
    return replace(settings, fetch=replace(settings.fetch, min_interval_s=0.0, timeout_s=5.0))


def test_url_ingest_then_refetch_is_unchanged(site: str, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    urls = [f"{site}/news/1.html", f"{site}/missing.html", f"{site}/private/x.html"]
    with open_newsfuse(settings=settings) as news:
        first = news.ingest(urls)
        second = news.ingest([f"{site}/news/1.html"])
        [article] = news.articles()
    assert first.counts.ingested == 1
    reasons = {r.reason for r in first.rejections}
    assert reasons == {RejectReason.HTTP_ERROR, RejectReason.ROBOTS_DISALLOWED}
    assert second.counts.unchanged == 1 and second.counts.ingested == 0
    assert article.url == f"{site}/news/1.html" and article.outlet == "The Harbour Ledger"
    page_requests = [r for r in _Site.requests if r[0] == "/news/1.html"]
    assert [r[1] for r in page_requests] == [None, ETAG]  # conditional GET on re-fetch
    assert all("newsfuse" in r[2] for r in _Site.requests)


def test_unreachable_host_is_a_rejection(tmp_path: Path) -> None:
    with open_newsfuse(settings=_settings(tmp_path)) as news:
        report = news.ingest(["http://127.0.0.1:9/nothing.html"])
    assert report.counts.rejected == 1
    assert report.rejections[0].reason is RejectReason.FETCH_FAILED
