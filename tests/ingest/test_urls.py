"""URL inputs through `iter_pages`: pages, feeds whose entries are fetched, and failures."""

from __future__ import annotations

import socket
from dataclasses import replace

from newsfuse.config import FetchOptions, IngestOptions
from newsfuse.ingest import Fetcher, Unchanged, iter_pages
from newsfuse.model import PageKind, RawPage, Rejection, RejectReason

from .conftest import LocalServer, Reply, Seen

OPTS = IngestOptions()
PAGE = b"<html><body><p>The council approved the harbour budget.</p></body></html>"


def _feed(server: LocalServer) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Velmora Gazette</title><link>{server.url("/")}</link>
<description>d</description>
<item><title>Budget passes</title><link>{server.url("/news/budget")}</link>
  <pubDate>Tue, 05 Mar 2024 06:00:00 GMT</pubDate><author>desk@velmora.example (Ana Brel)</author>
  <description>Teaser only.</description></item>
<item><title>Notes</title><link>{server.url("/news/notes.txt")}</link></item>
<item><title>Missing</title><link>{server.url("/news/missing")}</link></item>
<item><title>Relative</title><link>/news/budget</link></item>
</channel></rss>""".encode()


def test_page_url(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/story"] = Reply(
        body=PAGE, headers={"Content-Type": "text/html; charset=windows-1252"}
    )
    with Fetcher(fetch_opts) as fetcher:
        (page,) = iter_pages([server.url("/story")], OPTS, fetcher=fetcher)
    assert isinstance(page, RawPage)
    assert (page.source, page.url, page.kind) == (
        server.url("/story"),
        server.url("/story"),
        PageKind.HTML,
    )
    assert page.content == PAGE and page.encoding == "windows-1252"
    assert page.headers["content-type"] == "text/html; charset=windows-1252"


def test_redirected_page_keeps_the_asked_url_as_source(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    server.routes["/short"] = Reply(301, headers={"Location": "/long/story"})
    server.routes["/long/story"] = Reply(body=PAGE, headers={"Content-Type": "text/html"})
    with Fetcher(fetch_opts) as fetcher:
        (page,) = iter_pages([server.url("/short")], OPTS, fetcher=fetcher)
    assert isinstance(page, RawPage)
    assert (page.source, page.url) == (server.url("/short"), server.url("/long/story"))


def test_feed_url_entries_are_fetched(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/feed"] = Reply(
        body=_feed(server), headers={"Content-Type": "application/rss+xml"}
    )
    server.routes["/news/budget"] = Reply(body=PAGE, headers={"Content-Type": "text/html"})
    server.routes["/news/notes.txt"] = Reply(
        body=b"Plain notes from the meeting.", headers={"Content-Type": "text/plain"}
    )
    with Fetcher(fetch_opts) as fetcher:
        items = list(iter_pages([server.url("/feed")], OPTS, fetcher=fetcher))
    budget, notes, missing, relative = items
    assert isinstance(budget, RawPage)
    assert budget.content == PAGE and budget.source == server.url("/news/budget")
    assert budget.hints.title == "Budget passes"
    assert budget.hints.published == "Tue, 05 Mar 2024 06:00:00 GMT"
    assert budget.hints.outlet == "Velmora Gazette"
    assert budget.hints.authors == ("Ana Brel",)
    assert isinstance(notes, RawPage) and notes.kind is PageKind.TEXT
    assert isinstance(missing, Rejection) and missing.reason is RejectReason.HTTP_ERROR
    assert "/news/missing" in missing.detail and "404" in missing.detail
    # A relative link resolves against the feed's URL; fetched again, it is unchanged or a page.
    assert isinstance(relative, RawPage) and relative.url == server.url("/news/budget")


def test_feed_sniffed_from_a_generic_content_type(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    server.routes["/feed.xml"] = Reply(body=_feed(server), headers={"Content-Type": "text/xml"})
    with Fetcher(fetch_opts) as fetcher:
        items = list(iter_pages([server.url("/feed.xml")], OPTS, fetcher=fetcher))
    assert len(items) == 4


def test_http_failures_are_rejections_and_iteration_goes_on(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    server.routes["/boom"] = Reply(500, b"oops")
    server.routes["/ok"] = Reply(body=PAGE, headers={"Content-Type": "text/html"})
    server.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /secret\n")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/x"
    urls = [server.url(p) for p in ("/nope", "/boom", "/secret", "/ok")] + [dead]
    with Fetcher(fetch_opts) as fetcher:
        items = list(iter_pages(urls, OPTS, fetcher=fetcher))
    assert [getattr(i, "reason", "page") for i in items] == [
        RejectReason.HTTP_ERROR,
        RejectReason.HTTP_ERROR,
        RejectReason.ROBOTS_DISALLOWED,
        "page",
        RejectReason.FETCH_FAILED,
    ]
    assert all(i.source == url for i, url in zip(items, urls, strict=True))
    unreachable = items[-1]
    assert isinstance(unreachable, Rejection) and "cannot connect" in unreachable.detail
    assert unreachable.detail.startswith(dead)


def test_conditional_refetch_yields_unchanged(
    server: LocalServer, fetch_opts: FetchOptions
) -> None:
    def etagged(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"abc"':
            return Reply(304)
        return Reply(body=PAGE, headers={"ETag": '"abc"', "Content-Type": "text/html"})

    server.routes["/story"] = etagged
    with Fetcher(fetch_opts) as fetcher:
        (first,) = iter_pages([server.url("/story")], OPTS, fetcher=fetcher)
        (second,) = iter_pages([server.url("/story")], OPTS, fetcher=fetcher)
    assert isinstance(first, RawPage)
    assert second == Unchanged(source=server.url("/story"), url=server.url("/story"))


def test_binary_and_oversized_urls(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/logo"] = Reply(
        body=b"\x89PNG\r\n\x1a\n\0\0", headers={"Content-Type": "image/png"}
    )
    server.routes["/huge"] = Reply(body=b"<p>" + b"y" * 4000, headers={"Content-Type": "text/html"})
    with Fetcher(replace(fetch_opts, max_bytes=2000)) as fetcher:
        logo, huge = iter_pages([server.url("/logo"), server.url("/huge")], OPTS, fetcher=fetcher)
    assert isinstance(logo, Rejection) and logo.reason is RejectReason.BINARY
    assert isinstance(huge, Rejection) and huge.reason is RejectReason.TOO_LARGE


def test_jsonl_over_http(server: LocalServer, fetch_opts: FetchOptions) -> None:
    server.routes["/export"] = Reply(
        body=b'{"id": "w1", "text": "one"}\n{"id": "w2", "html": "<p>two</p>"}\n',
        headers={"Content-Type": "application/x-ndjson"},
    )
    with Fetcher(fetch_opts) as fetcher:
        items = list(iter_pages([server.url("/export")], OPTS, fetcher=fetcher))
    assert [i.source for i in items] == ["w1", "w2"]
