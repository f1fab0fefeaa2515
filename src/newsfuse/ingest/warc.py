"""WARC archives (Common Crawl CC-NEWS): each HTML response record becomes a page.

fastwarc reads the records (about three times warcio's speed), but it stops quietly where an
archive breaks. So the stream beneath it is a `GuardedReader` (which remembers a gzip or read
error), and after the last record we check that the archive really ended where that record
did. Either way the pages before the break are yielded, then one `Rejection` says where it broke.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from newsfuse.config import IngestOptions
from newsfuse.ingest.items import Item, Origin
from newsfuse.ingest.pages import make_page
from newsfuse.ingest.sniff import charset_of, media_type
from newsfuse.ingest.streams import GuardedReader
from newsfuse.model import PageKind, RawPage, Rejection, RejectReason

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TAIL_WINDOW = 1 << 20
"""Bytes of the stream's end kept to check that the last record is whole."""


class _TailKeeper(io.RawIOBase):
    """Passes reads through, counting them and keeping the last `_TAIL_WINDOW` bytes."""

    def __init__(self, inner: GuardedReader) -> None:
        super().__init__()
        self._inner = inner
        self._window = bytearray()
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        n = self._inner.readinto(buffer)
        self._window += buffer[:n]
        self.total += n
        if len(self._window) > 2 * _TAIL_WINDOW:
            del self._window[:-_TAIL_WINDOW]
        return n

    def tell(self) -> int:
        return self.total

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # fastwarc asks where it is by seeking; only that no-op is possible on a stream.
        target = offset if whence == io.SEEK_SET else self.total + offset
        if whence not in (io.SEEK_SET, io.SEEK_CUR) or target != self.total:
            raise io.UnsupportedOperation("a WARC stream is read forward only")
        return self.total

    def bytes_from(self, position: int) -> bytes | None:
        """The stream from `position` to its end, if that is still in the window."""
        start = len(self._window) - (self.total - position)
        return bytes(self._window[start:]) if 0 <= start <= len(self._window) else None


@dataclass(frozen=True, slots=True)
class _Span:
    """Where a record starts and what its headers say it holds, to find where it ends."""

    start: int
    declared_length: int
    header_estimate: int


def iter_warc(stream: GuardedReader, origin: Origin, opts: IngestOptions) -> Iterator[Item]:
    """HTML response pages from a WARC stream (already gunzipped), then any break."""
    tail = _TailKeeper(stream)
    last: _Span | None = None
    pages = 0
    broken_at: int | None = None
    try:
        # Every record type is walked (not filtered in fastwarc) so that the last one seen
        # is the archive's last record, which the end check needs.
        for record in ArchiveIterator(tail, parse_http=False, stream_detect=False):
            last = _span(record)
            if record.record_type != WarcRecordType.response:
                continue
            item, whole = _response_item(record, origin, opts)
            if not whole:
                broken_at = record.stream_pos
                break
            if item is not None:
                pages += isinstance(item, RawPage)
                yield item
    except (ValueError, OSError) as exc:  # fastwarc's own parse errors
        yield origin.reject(RejectReason.UNREADABLE, f"unreadable WARC after {pages} pages ({exc})")
        return
    if problem := _break(stream, tail, last, broken_at, opts):
        yield origin.reject(RejectReason.UNREADABLE, f"{problem}; {pages} pages read before it")


def _response_item(
    record: WarcRecord, origin: Origin, opts: IngestOptions
) -> tuple[Item | None, bool]:
    """The page a response record holds (None to skip it), and whether the record was whole."""
    record.parse_http()
    status = record.http_headers.status_code if record.is_http else None
    mime = media_type(record.http_content_type)
    if status is None or not 200 <= status < 300 or mime not in _HTML_TYPES:
        return None, True
    uri = record.headers.get("WARC-Target-URI") or None
    source = uri or origin.at(str(record.stream_pos))
    if record.content_length > opts.max_page_bytes:
        detail = f"{source}: {record.content_length} bytes is over max_page_bytes"
        return Rejection(source, RejectReason.TOO_LARGE, detail, url=uri), True
    body = record.reader.read()
    if len(body) < record.content_length:
        return None, False
    headers = _http_headers(record)
    try:
        body = _decode_content(body, headers.get("content-encoding"))
    except zlib.error as exc:
        detail = f"{source}: cannot undo content-encoding ({exc})"
        return Rejection(source, RejectReason.UNREADABLE, detail, url=uri), True
    page = make_page(
        body,
        PageKind.HTML,
        source=source,
        fetched_at=_record_date(record, origin.fetched_at),
        opts=opts,
        url=uri,
        headers=headers,
        encoding=record.http_charset or charset_of(headers.get("content-type")),
    )
    return page, True


def _http_headers(record: WarcRecord) -> Mapping[str, str]:
    headers: dict[str, str] = {}
    for name, value in record.http_headers.to_tuples():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return MappingProxyType(headers)


def _decode_content(body: bytes, encoding: str | None) -> bytes:
    """Undo gzip/deflate where the archive kept them (Common Crawl stores bodies decoded)."""
    coding = (encoding or "").strip().lower()
    if coding in ("gzip", "x-gzip"):
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if coding == "deflate":
        try:
            return zlib.decompress(body)
        except zlib.error:
            return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    return body


def _record_date(record: WarcRecord, default: datetime) -> datetime:
    if not record.headers.get("WARC-Date"):
        return default
    try:
        date = record.record_date
    except ValueError:
        return default
    return date if date.tzinfo else date.replace(tzinfo=UTC)


def _span(record: WarcRecord) -> _Span:
    try:
        declared = int(record.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    # The header block as a standard writer lays it out; used only when the real bytes have
    # left the tail window (a last record over 1 MiB).
    lines = [record.headers.status_line or "WARC/1.0"]
    lines += [f"{name}: {value}" for name, value in record.headers.to_tuples()]
    estimate = sum(len(line.encode("utf-8")) + 2 for line in lines) + 2
    return _Span(record.stream_pos, declared, estimate)


def _break(
    stream: GuardedReader,
    tail: _TailKeeper,
    last: _Span | None,
    broken_at: int | None,
    opts: IngestOptions,
) -> str | None:
    """Where and why the archive broke, or None if it ended cleanly after its last record."""
    if problem := stream.failure():
        return f"archive breaks at byte {tail.total} (uncompressed): {problem}"
    if stream.capped:
        return f"read only the first {opts.max_file_bytes} bytes (max_file_bytes)"
    if broken_at is not None:
        return f"the record at byte {broken_at} is cut off: the archive is truncated"
    if last is None:
        rest = tail.bytes_from(0)
        return None if rest is not None and not rest.strip() else "no WARC record could be read"
    return _tail_problem(tail, last)


def _tail_problem(tail: _TailKeeper, last: _Span) -> str | None:
    truncated = f"the record at byte {last.start} is cut off: the archive is truncated"
    raw = tail.bytes_from(last.start)
    header_length = last.header_estimate
    if raw is not None:
        if (header_end := raw.find(b"\r\n\r\n")) < 0:
            return truncated  # its header block never ends
        header_length = header_end + 4
    end = last.start + header_length + last.declared_length + 4  # block, then CRLF CRLF
    if tail.total < end - 4:
        return truncated
    leftover = tail.bytes_from(min(end, tail.total))
    if leftover is None or leftover.strip():
        return f"unreadable bytes after byte {end}: a truncated or corrupt record"
    return None
