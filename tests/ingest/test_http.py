"""The Fetcher against a real server on 127.0.0.1: UA, robots.txt, caps, redirects, retries."""

from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest

from newsfuse.config import FetchOptions
from newsfuse.errors import FetchError
from newsfuse.ingest import Fetcher, MemoryValidatorCache, Validators
from newsfuse.model import RejectReason

from .conftest import FakeClock, LocalServer, Reply, Seen

PAGE = b"<html><body><p>Harbour news.</p></body></html>"


def test_fetch_sends_our_user_agent_everywhere(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    server.routes["/a"] = Reply(body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    with Fetcher(fetch_opts) as fetcher:
        result = fetcher.fetch(server.url("/a"))
    assert (result.status, result.content, result.not_modified) == (200, PAGE, False)
    assert result.url == server.url("/a")
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.fetched_at.tzinfo is not None
    assert server.paths() == ["/robots.txt", "/a"]
    assert {seen.headers["user-agent"] for seen in server.seen} == {fetch_opts.user_agent}


def test_robots_disallow_is_honoured_and_fetched_once(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    server.routes["/robots.txt"] = Reply(
        body=b"User-agent: newsfuse\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    )
    server.routes["/public"] = Reply(body=PAGE)
    server.routes["/private/x"] = Reply(body=PAGE)
    with Fetcher(fetch_opts) as fetcher:
        assert fetcher.fetch(server.url("/public")).content == PAGE
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(server.url("/private/x"))
        fetcher.fetch(server.url("/public"))
    assert caught.value.reason is RejectReason.ROBOTS_DISALLOWED
    assert "robots.txt" in str(caught.value) and "/private/x" in str(caught.value)
    assert server.paths() == ["/robots.txt", "/public", "/public"]


def test_robots_can_be_ignored_when_asked(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /\n")
    server.routes["/a"] = Reply(body=PAGE)
    with Fetcher(replace(fetch_opts, respect_robots=False)) as fetcher:
        assert fetcher.fetch(server.url("/a")).status == 200
    assert server.paths() == ["/a"]


def test_robots_server_error_means_disallow(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/robots.txt"] = Reply(503, b"busy")
    server.routes["/a"] = Reply(body=PAGE)
    with Fetcher(fetch_opts) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(server.url("/a"))
    assert caught.value.reason is RejectReason.ROBOTS_DISALLOWED
    assert "unavailable" in str(caught.value) and "503" in str(caught.value)


def test_rate_limit_spaces_requests_to_one_host(
    server: LocalServer, fetch_opts: FetchOptions, clock: FakeClock
) -> None:
    server.routes["/a"] = Reply(body=PAGE)
    server.routes["/b"] = Reply(body=PAGE)
    opts = replace(fetch_opts, min_interval_s=5.0)
    with Fetcher(opts, clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch(server.url("/a"))  # robots.txt, then /a: one wait
        fetcher.fetch(server.url("/b"))  # one more wait
        clock.now += 60  # long after: no wait
        fetcher.fetch(server.url("/a"))
    assert clock.sleeps == [5.0, 5.0]
    assert server.paths() == ["/robots.txt", "/a", "/b", "/a"]


def test_rate_limit_is_per_host_and_honours_crawl_delay(clock: FakeClock) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt" and request.url.host == "slow.test":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 7\n")
        return httpx.Response(200, content=PAGE)

    opts = FetchOptions(min_interval_s=2.0, retries=0)
    transport = httpx.MockTransport(answer)
    with Fetcher(opts, transport=transport, clock=clock, sleep=clock.sleep) as fetcher:
        fetcher.fetch("http://fast.test/1")  # robots + page: waits 2
        fetcher.fetch("http://slow.test/1")  # another host: robots + page, waits 7
        fetcher.fetch("http://fast.test/2")  # fast.test's last request was 7s ago: no wait
    assert clock.sleeps == [2.0, 7.0]


def test_redirects_are_followed_and_capped(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/old"] = Reply(301, headers={"Location": "/mid"})
    server.routes["/mid"] = Reply(302, headers={"Location": server.url("/new")})
    server.routes["/new"] = Reply(body=PAGE)
    server.routes["/loop"] = Reply(302, headers={"Location": "/loop"})
    with Fetcher(fetch_opts) as fetcher:
        result = fetcher.fetch(server.url("/old"))
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(server.url("/loop"))
    assert result.url == server.url("/new") and result.content == PAGE
    assert caught.value.reason is RejectReason.FETCH_FAILED
    assert "too many redirects" in str(caught.value)
    assert server.paths().count("/loop") == fetch_opts.max_redirects + 1


def test_size_cap_with_and_without_content_length(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    big = b"<p>" + b"x" * 5000 + b"</p>"
    server.routes["/declared"] = Reply(body=big)
    server.routes["/streamed"] = Reply(body=big, length=False)
    server.routes["/fits"] = Reply(body=b"<p>small</p>", length=False)
    with Fetcher(replace(fetch_opts, max_bytes=1000)) as fetcher:
        for path in ("/declared", "/streamed"):
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(server.url(path))
            assert caught.value.reason is RejectReason.TOO_LARGE
            assert "1000" in str(caught.value)
        assert fetcher.fetch(server.url("/fits")).content == b"<p>small</p>"


def test_timeout(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/slow"] = Reply(body=PAGE, delay_s=1.5)
    with (
        Fetcher(replace(fetch_opts, timeout_s=0.2)) as fetcher,
        pytest.raises(FetchError) as caught,
    ):
        fetcher.fetch(server.url("/slow"))
    assert caught.value.reason is RejectReason.FETCH_FAILED
    assert "timed out" in str(caught.value)


def test_http_errors_carry_the_status(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/boom"] = Reply(500, b"oops")
    with Fetcher(fetch_opts) as fetcher:
        for path, status in (("/missing", 404), ("/boom", 500)):
            with pytest.raises(FetchError) as caught:
                fetcher.fetch(server.url(path))
            assert (caught.value.reason, caught.value.status) == (RejectReason.HTTP_ERROR, status)
            assert f"HTTP {status}" in str(caught.value)


def test_server_errors_are_retried(server: LocalServer, fetch_opts: FetchOptions) -> None:
    answers = iter([Reply(503), Reply(body=PAGE)])
    server.routes["/flaky"] = lambda _seen: next(answers)
    server.routes["/gone"] = Reply(404)
    with Fetcher(replace(fetch_opts, retries=1)) as fetcher:
        assert fetcher.fetch(server.url("/flaky")).content == PAGE
        with pytest.raises(FetchError):
            fetcher.fetch(server.url("/gone"))
    assert server.paths().count("/flaky") == 2
    assert server.paths().count("/gone") == 1  # a 4xx is not retried


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_host(fetch_opts: FetchOptions) -> None:
    url = f"http://127.0.0.1:{_free_port()}/a"
    fetcher = Fetcher(replace(fetch_opts, retries=1, respect_robots=False))
    with fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert caught.value.reason is RejectReason.FETCH_FAILED
    assert "cannot connect" in str(caught.value)


def test_conditional_get_with_etag_and_last_modified(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    def etagged(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(body=PAGE, headers={"ETag": '"v1"'})

    stamp = "Tue, 05 Mar 2024 06:00:00 GMT"

    def dated(seen: Seen) -> Reply:
        if seen.headers.get("if-modified-since") == stamp:
            return Reply(304)
        return Reply(body=PAGE, headers={"Last-Modified": stamp})

    server.routes["/etag"] = etagged
    server.routes["/dated"] = dated
    cache = MemoryValidatorCache()
    with Fetcher(fetch_opts, validators=cache) as fetcher:
        for path in ("/etag", "/dated"):
            first = fetcher.fetch(server.url(path))
            again = fetcher.fetch(server.url(path))
            assert (first.not_modified, first.content) == (False, PAGE)
            assert (again.not_modified, again.status, again.content) == (True, 304, b"")
    assert cache.get(server.url("/etag")) == Validators(etag='"v1"')
    assert cache.get(server.url("/dated")) == Validators(last_modified=stamp)


def test_only_http_urls(fetch_opts: FetchOptions) -> None:
    with Fetcher(fetch_opts) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("file:///etc/passwd")
    assert "only http(s)" in str(caught.value)
