"""Route an opened input to the reader for its format."""

from __future__ import annotations

from collections.abc import Iterator

from newsfuse.config import IngestOptions
from newsfuse.ingest.feeds import iter_feed
from newsfuse.ingest.http import Fetcher
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.pages import read_page
from newsfuse.ingest.records import iter_json, iter_jsonl
from newsfuse.ingest.sniff import Format
from newsfuse.ingest.streams import Opened, read_whole
from newsfuse.ingest.warc import iter_warc
from newsfuse.ingest.web import PAGE_KINDS
from newsfuse.model import RejectReason


def iter_opened(
    opened: Opened, origin: Origin, opts: IngestOptions, fetcher: Fetcher | None
) -> Iterator[Item]:
    """Every item one input holds, whatever its format."""
    if not opened.head.strip():
        if problem := opened.stream.failure():
            yield origin.reject(RejectReason.UNREADABLE, problem)
        else:
            yield origin.reject(RejectReason.EMPTY, "the input is empty")
        return
    fmt = opened.fmt
    if kind := PAGE_KINDS.get(fmt):
        yield read_page(opened.stream, kind, origin, opts)
    elif fmt is Format.JSON:
        yield from iter_json(opened.stream, origin, opts)
    elif fmt is Format.JSONL:
        yield from iter_jsonl(opened.stream, origin, opts)
    elif fmt is Format.WARC:
        yield from iter_warc(opened.stream, origin, opts)
    elif fmt is Format.FEED:
        yield from _iter_feed(opened, origin, opts, fetcher)
    elif fmt is Format.BINARY:
        yield origin.reject(RejectReason.BINARY, "binary content, not HTML or text")
    else:
        yield origin.reject(
            RejectReason.UNSUPPORTED, "XML that is neither an RSS/Atom feed nor XHTML"
        )


def _iter_feed(
    opened: Opened, origin: Origin, opts: IngestOptions, fetcher: Fetcher | None
) -> Iterator[Item]:
    data = read_whole(opened.stream, opts.max_file_bytes)
    if problem := opened.stream.failure():
        yield origin.reject(RejectReason.UNREADABLE, problem)
    elif data is None or opened.stream.capped:
        yield origin.reject(
            RejectReason.TOO_LARGE, f"feed over {opts.max_file_bytes} bytes (max_file_bytes)"
        )
    else:
        yield from iter_feed(data, origin, opts, fetcher)
