"""One exception tree for newsfuse.

    NewsfuseError
     ├── ConfigError        a bad option or database URL: fix the command line
 │    └── NotFoundError an id (article, story, run, entity) names nothing stored
     ├── SourceError        an input could not be read at all (missing path, bad glob)
     │    └── FetchError    an HTTP fetch failed (network, status, robots.txt, size cap)
     ├── ExtractError       a page yielded no article (binary, empty, no body)
     └── StoreError         the database refused or is out of date (run `newsfuse db upgrade`)

A bad *page* is not an exception to the caller of a batch: the batch turns it into a
`Rejection` with a reason and goes on. These exceptions cross function boundaries inside a
stage, and surface to the user only when the whole command cannot proceed.
"""

from __future__ import annotations

from newsfuse.model import RejectReason


class NewsfuseError(Exception):
    """Base of every error newsfuse raises on purpose."""


class ConfigError(NewsfuseError):
    """An option, path or URL given to newsfuse is not usable."""


class NotFoundError(ConfigError):
    """An id given to newsfuse names nothing stored (the HTTP API answers 404)."""


class SourceError(NewsfuseError):
    """An input could not be read; `reason` is what gets recorded."""

    def __init__(self, message: str, reason: RejectReason = RejectReason.UNREADABLE) -> None:
        super().__init__(message)
        self.reason = reason


class FetchError(SourceError):
    """An HTTP(S) fetch gave no usable page."""

    def __init__(
        self,
        message: str,
        reason: RejectReason = RejectReason.FETCH_FAILED,
        status: int | None = None,
    ) -> None:
        super().__init__(message, reason)
        self.status = status


class ExtractError(NewsfuseError):
    """A page produced no article."""

    def __init__(self, message: str, reason: RejectReason = RejectReason.NO_CONTENT) -> None:
        super().__init__(message)
        self.reason = reason


class StoreError(NewsfuseError):
    """The store could not be opened, migrated or written."""
