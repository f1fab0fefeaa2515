"""POST /api/ingest over HTTP: off by default, token-guarded when on, and URL ingest that
refuses the server's own network unless started with --allow-private (a real http.server on
127.0.0.1 serves the page)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from live_server import LiveServer
from newsfuse.config import FetchOptions, ServeOptions, Settings
from newsfuse.errors import FetchError
from newsfuse.ingest.http import Fetcher, non_public
from newsfuse.service.ingest_api import MAX_BODY_BYTES
from pagegen import news_html

TOKEN = "s3cret-token-for-tests"


def serving(tmp_path: Path, **options: Any) -> LiveServer:
    tmp_path.mkdir(parents=True, exist_ok=True)
    fast_fetch = FetchOptions(min_interval_s=0.0, retries=0, timeout_s=5.0)
    return LiveServer(
        Settings(
            db_url=f"sqlite:///{tmp_path / 'ingest.db'}",
            fetch=fast_fetch,
            serve=ServeOptions(**options),
        )
    )


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class _Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != "/news/1.html":
            self.send_error(404)
            return
        body = news_html(1, outlet="Loopback Ledger", domain="loopback.example").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    """A news page served on 127.0.0.1 (a loopback address the guard must refuse)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/news/1.html"
    httpd.shutdown()
    httpd.server_close()


# -- on, off, token ----------------------------------------------------------------------------


def test_ingest_is_disabled_by_default(tmp_path: Path) -> None:
    with serving(tmp_path) as api:
        response = api.post("/api/ingest", json={"pages": [{"name": "a", "content": "x"}]})
        assert response.status_code == 403
        assert "ingest is disabled" in response.json()["detail"]
        assert api.post("/api/ingest", json={}, headers=bearer()).status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": "Bearer"},
    ],
)
def test_ingest_refuses_without_the_right_token(tmp_path: Path, headers: dict[str, str]) -> None:
    with serving(tmp_path, ingest_token=TOKEN) as api:
        page = {"name": "a.html", "content": news_html(3)}
        response = api.post("/api/ingest", json={"pages": [page]}, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert "token" in response.json()["detail"]
        assert api.get("/api/articles").json()["items"] == []


def test_ingest_pages_with_the_token(tmp_path: Path) -> None:
    with serving(tmp_path, ingest_token=TOKEN) as api:
        pages = [
            {"name": "../../etc/passwd", "content": news_html(4)},
            {"name": "second.html", "content": news_html(5)},
            {"name": "empty.txt", "content": ""},
        ]
        response = api.post("/api/ingest", json={"pages": pages}, headers=bearer())
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["ingested"] == 2 and report["rejected"] == 1
        assert report["rejections"][0]["reason"] == "empty"
        assert api.get(f"/api/runs/{report['run_id']}").json()["ingested"] == 2
        titles = {a["title"] for a in api.get("/api/articles").json()["items"]}
        assert any("report 4" in (t or "") for t in titles)
        again = api.post("/api/ingest", json={"pages": pages[:2]}, headers=bearer()).json()
        assert again["ingested"] == 0 and again["duplicates"] == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 422),
        (b"[]", 422),
        (b"{}", 400),
        (b'{"urls": []}', 400),
        (b'{"urls": ["file:///etc/passwd"]}', 422),
        (b'{"urls": ["ftp://example.com/x"]}', 422),
        (b'{"urls": "http://example.com/"}', 422),
        (b'{"pages": [{"name": "", "content": "x"}]}', 422),
        (b'{"pages": [{"content": "x"}]}', 422),
        (('{"urls": [' + ",".join(['"http://e.com/"'] * 101) + "]}").encode(), 422),
        (('{"urls": ["http://e.com/' + "a" * 3000 + '"]}').encode(), 422),
    ],
)
def test_ingest_bad_bodies_are_4xx(tmp_path: Path, body: bytes, status: int) -> None:
    with serving(tmp_path, ingest_token=TOKEN) as api:
        headers = {**bearer(), "Content-Type": "application/json"}
        response = api.post("/api/ingest", content=body, headers=headers)
        assert response.status_code == status, response.text
        assert response.json()["detail"]


def test_ingest_body_size_is_capped(tmp_path: Path) -> None:
    with serving(tmp_path, ingest_token=TOKEN) as api:
        huge = b'{"pages": [{"name": "a", "content": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}]}'
        headers = {**bearer(), "Content-Type": "application/json"}
        response = api.post("/api/ingest", content=huge, headers=headers)
        assert response.status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap applies while reading
            yield huge[: len(huge) // 2]
            yield huge[len(huge) // 2 :]

        assert api.post("/api/ingest", content=chunks(), headers=headers).status_code == 413


# -- private addresses -------------------------------------------------------------------------


def test_url_ingest_refuses_loopback_unless_allowed(tmp_path: Path, site: str) -> None:
    with serving(tmp_path / "guarded", ingest_token=TOKEN) as api:
        refused = api.post("/api/ingest", json={"urls": [site]}, headers=bearer()).json()
        assert refused["ingested"] == 0 and refused["rejected"] == 1
        detail = refused["rejections"][0]["detail"]
        assert "loopback" in detail and "--allow-private" in detail
    with serving(tmp_path / "open", ingest_token=TOKEN, allow_private=True) as api:
        report = api.post("/api/ingest", json={"urls": [site]}, headers=bearer()).json()
        assert report["ingested"] == 1, report
        [article] = api.get("/api/articles").json()["items"]
        assert article["outlet"] == "Loopback Ledger"


def test_fetcher_checks_every_redirect_hop() -> None:
    addresses = {"news.example": ["93.184.216.34"], "intranet.example": ["10.1.2.3"]}

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})
        return httpx.Response(200, text="secret")

    opts = FetchOptions(block_private=True, respect_robots=False, min_interval_s=0.0)
    with Fetcher(opts, transport=httpx.MockTransport(route), resolve=addresses.__getitem__) as f:
        with pytest.raises(FetchError, match="redirected to http://intranet.example/admin"):
            f.fetch("http://news.example/story")
        for url in ("http://169.254.169.254/latest/", "http://[::1]/", "http://0.0.0.0/"):
            with pytest.raises(FetchError, match="refused"):
                f.fetch(url)
    open_opts = FetchOptions(respect_robots=False, min_interval_s=0.0)
    with Fetcher(open_opts, transport=httpx.MockTransport(route)) as f:
        assert f.fetch("http://news.example/story").content == b"secret"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_non_public_addresses(address: str, kind: str | None) -> None:
    assert non_public(address) == kind
