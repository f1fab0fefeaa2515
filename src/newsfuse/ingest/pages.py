"""Build one `RawPage` from bytes, or say why not (empty, too large, unreadable)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from newsfuse.config import IngestOptions
from newsfuse.ingest.items import NO_HEADERS, Origin
from newsfuse.ingest.sniff import charset_of
from newsfuse.ingest.streams import GuardedReader, read_whole
from newsfuse.model import PageHints, PageKind, RawPage, Rejection, RejectReason


def make_page(
    content: bytes,
    kind: PageKind,
    *,
    source: str,
    fetched_at: datetime,
    opts: IngestOptions,
    url: str | None = None,
    headers: Mapping[str, str] = NO_HEADERS,
    hints: PageHints | None = None,
    encoding: str | None = None,
) -> RawPage | Rejection:
    """A page from bytes already in memory, unless they are blank or over the page cap."""
    if len(content) > opts.max_page_bytes:
        return Rejection(
            source, RejectReason.TOO_LARGE, _too_large(source, len(content), opts), url=url
        )
    if not content.strip():
        return Rejection(source, RejectReason.EMPTY, f"{source}: the page is empty", url=url)
    return RawPage(
        source=source,
        content=content,
        kind=kind,
        fetched_at=fetched_at,
        url=url,
        headers=headers,
        hints=hints or PageHints(),
        encoding=encoding,
    )


def read_page(
    stream: GuardedReader,
    kind: PageKind,
    origin: Origin,
    opts: IngestOptions,
    hints: PageHints | None = None,
) -> RawPage | Rejection:
    """The one page a stream holds (an .html/.txt file, a fetched page, stdin)."""
    if origin.size is not None and origin.size > opts.max_page_bytes:
        # Known too large from its size alone: don't read it at all.
        return origin.reject(RejectReason.TOO_LARGE, _too_large(None, origin.size, opts))
    data = read_whole(stream, opts.max_page_bytes)
    if problem := stream.failure():
        return origin.reject(RejectReason.UNREADABLE, problem)
    if data is None or stream.capped:
        return origin.reject(
            RejectReason.TOO_LARGE,
            f"more than {min(opts.max_page_bytes, opts.max_file_bytes)} bytes "
            "(max_page_bytes / max_file_bytes); not read further",
        )
    return make_page(
        data,
        kind,
        source=origin.source,
        fetched_at=origin.fetched_at,
        opts=opts,
        url=origin.url,
        headers=origin.headers,
        hints=hints,
        encoding=charset_of(origin.headers.get("content-type")),
    )


def _too_large(source: str | None, size: int, opts: IngestOptions) -> str:
    prefix = f"{source}: " if source else ""
    return f"{prefix}{size} bytes is over the page cap of {opts.max_page_bytes} (max_page_bytes)"
