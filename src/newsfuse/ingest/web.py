"""Pages behind URLs: fetch one, and turn the result (or the failure) into an item."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from newsfuse.config import IngestOptions
from newsfuse.errors import FetchError
from newsfuse.ingest.http import Fetcher, FetchResult
from newsfuse.ingest.items import Item, Origin, Unchanged
from newsfuse.ingest.pages import read_page
from newsfuse.ingest.sniff import Format, format_from_content_type
from newsfuse.ingest.streams import Opened, open_input
from newsfuse.model import PageHints, PageKind, Rejection, RejectReason

PAGE_KINDS = {Format.HTML: PageKind.HTML, Format.TEXT: PageKind.TEXT}


def is_url(text: str) -> bool:
    return urlsplit(text).scheme.lower() in ("http", "https") and "://" in text


def fetch(url: str, fetcher: Fetcher | None) -> FetchResult | Rejection | Unchanged:
    """The fetched URL, or the item that stands for why there is nothing to read."""
    if fetcher is None:
        return Rejection(
            url,
            RejectReason.UNSUPPORTED,
            f"{url}: URLs need a Fetcher (network access was not enabled for this run)",
            url=url,
        )
    try:
        result = fetcher.fetch(url)
    except FetchError as exc:
        return Rejection(url, exc.reason, str(exc), url=url)
    return Unchanged(source=url, url=result.url) if result.not_modified else result


def open_result(url: str, result: FetchResult, max_bytes: int) -> tuple[Opened, Origin]:
    """A fetched body as an input stream, classified by Content-Type first, then by content."""
    declared = format_from_content_type(result.headers.get("content-type"))
    # The URL's extension is a weaker hint than the server's Content-Type.
    name = "" if declared else urlsplit(result.url).path.rsplit("/", 1)[-1]
    opened = open_input(io.BytesIO(result.content), name, max_bytes, declared)
    origin = Origin(
        source=url, fetched_at=result.fetched_at, url=result.url, headers=result.headers
    )
    return opened, origin


def fetch_page(
    url: str, fetcher: Fetcher | None, opts: IngestOptions, hints: PageHints | None = None
) -> Item:
    """The one page at `url` (a feed entry's link), with what the feed said about it."""
    got = fetch(url, fetcher)
    if not isinstance(got, FetchResult):
        return got
    opened, origin = open_result(url, got, opts.max_file_bytes)
    kind = PAGE_KINDS.get(opened.fmt)
    if kind is None:
        reason = RejectReason.BINARY if opened.fmt is Format.BINARY else RejectReason.UNSUPPORTED
        return origin.reject(reason, f"expected an HTML or text page, got {opened.fmt} content")
    return read_page(opened.stream, kind, origin, opts, hints)
