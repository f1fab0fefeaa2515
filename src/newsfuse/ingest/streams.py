"""Byte streams that never raise mid-batch: decompression, size caps and peeking.

A truncated gzip or a failing disk must cost one `Rejection`, not the batch, and the readers
downstream (fastwarc above all) stop quietly at an error instead of reporting it. So every
input is read through a `GuardedReader`, which turns the error into an end of stream and
remembers what went wrong, for the format reader to report with the records it did read.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from newsfuse.ingest.sniff import SNIFF_BYTES, Format, format_from_name, is_gzip, sniff

_READ_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, OSError)


class GuardedReader(io.RawIOBase):
    """A binary reader that stops (instead of raising) at a read error or at `limit` bytes."""

    def __init__(self, raw: BinaryIO, limit: int | None = None, below: GuardedReader | None = None):
        super().__init__()
        self._raw = raw
        self.limit = limit
        self._below = below
        self._pending = b""
        self.position = 0
        """Bytes handed out so far."""
        self.error: str | None = None
        self.capped = False
        """True once `limit` cut the stream short (there were more bytes)."""

    def readable(self) -> bool:
        return True

    def failure(self) -> str | None:
        """What broke this stream or the one below it, if anything."""
        return self.error or (self._below.failure() if self._below else None)

    def peek(self, size: int = SNIFF_BYTES) -> bytes:
        """Up to `size` bytes from the current position, without consuming them."""
        while len(self._pending) < size:
            chunk = self._raw_read(size - len(self._pending))
            if not chunk:
                break
            self._pending += chunk
        return self._pending[: min(size, self._room())]

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        room = self._room()
        if room <= 0:
            if not self.capped:
                # At the limit: one more byte means the input was longer than allowed.
                self._pending = self._pending or self._raw_read(1)
                self.capped = bool(self._pending)
            return 0
        want = min(len(buffer), room)
        if self._pending:
            chunk, self._pending = self._pending[:want], self._pending[want:]
        else:
            chunk = self._raw_read(want)
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)

    def _room(self) -> int:
        return (1 << 62) if self.limit is None else self.limit - self.position

    def _raw_read(self, size: int) -> bytes:
        if self.error:
            return b""
        try:
            # read1: at most one read below, so a truncated gzip still hands over what it
            # decompressed before the break (read() would lose it to the EOFError).
            read = getattr(self._raw, "read1", self._raw.read)
            return read(size)
        except _READ_ERRORS as exc:
            self.error = _describe(exc)
            return b""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the compressed stream is truncated (ended before its end marker)"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"the gzip data is corrupt ({exc})"
    return f"read error ({exc})"


@dataclass(frozen=True, slots=True)
class Opened:
    """An input's decompressed, capped stream and the format it was classified as."""

    stream: GuardedReader
    fmt: Format
    head: bytes
    """The first bytes (decompressed), as classified."""
    compressed: bool


def open_input(raw: BinaryIO, name: str, limit: int, declared: Format | None = None) -> Opened:
    """Wrap `raw` (a file, stdin, a response body): gunzip if needed, cap, classify.

    `name` is a file name whose extension may say the format (`a.warc.gz`, `b.jsonl.gz`);
    `declared` is what a Content-Type said, trusted only where the name says nothing.
    """
    outer = GuardedReader(raw)
    head = outer.peek()
    compressed = is_gzip(head)
    if compressed:
        inner_name = name[:-3] if name.lower().endswith(".gz") else name
        # The cap counts decompressed bytes: it is memory and time that it protects.
        stream = GuardedReader(gzip.GzipFile(fileobj=outer, mode="rb"), limit, below=outer)  # type: ignore[arg-type]
        head = stream.peek()
    else:
        inner_name, stream = name, outer
        stream.limit = limit
    fmt = format_from_name(inner_name) or declared or sniff(head)
    if fmt in (Format.HTML, Format.TEXT) and sniff(head) is Format.BINARY:
        fmt = Format.BINARY
    if fmt is Format.WARC:
        # Archives stream record by record (a CC-NEWS file is ~1 GB); each record is held to
        # max_page_bytes by the WARC reader, so the whole-file cap would only lose pages.
        stream.limit = None
    return Opened(stream=stream, fmt=fmt, head=head, compressed=compressed)


def read_whole(stream: GuardedReader, max_bytes: int) -> bytes | None:
    """The rest of `stream` if it holds at most `max_bytes`, else None (too large).

    Reads at most `max_bytes + 1` bytes, so an oversized input never sits in memory whole.
    """
    parts: list[bytes] = []
    left = max_bytes + 1
    while left > 0 and (chunk := stream.read(min(left, 1 << 20))):
        parts.append(chunk)
        left -= len(chunk)
    data = b"".join(parts)
    return None if len(data) > max_bytes else data
