"""What the ingest stage yields, and where an input came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from newsfuse.model import RawPage, Rejection, RejectReason


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A conditional re-fetch answered 304: the page is as it was when last stored."""

    source: str
    url: str | None = None


Item = RawPage | Rejection | Unchanged
"""One thing `iter_pages` yields."""

NO_HEADERS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a stream of bytes came from: what every page read from it inherits."""

    source: str
    """The absolute path, the URL asked for, or `stdin`."""
    fetched_at: datetime
    url: str | None = None
    """The final URL, for a stream that came over HTTP."""
    headers: Mapping[str, str] = field(default_factory=lambda: NO_HEADERS)
    """HTTP response headers (lower-cased names), for a stream that came over HTTP."""
    size: int | None = None
    """The stream's length when known up front (an uncompressed file), to refuse early."""

    def at(self, where: str) -> str:
        """The source label of one record inside this input: `path#L3`, `stdin#0`."""
        return f"{self.source}#{where}"

    def reject(self, reason: RejectReason, detail: str, source: str | None = None) -> Rejection:
        """A rejection whose detail names this input."""
        label = source or self.source
        return Rejection(source=label, reason=reason, detail=f"{label}: {detail}", url=self.url)
