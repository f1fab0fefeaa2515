"""Frozen values the store takes and returns; nothing here touches a database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from newsfuse.model import Article, Rejection, RejectReason, Story


def _no_counts() -> Mapping[str, int]:
    # A factory, not a shared default: Python 3.11 refuses an (unhashable) mappingproxy default.
    return MappingProxyType({})


def _no_options() -> Mapping[str, object]:
    return MappingProxyType({})


class RunStatus(StrEnum):
    """Where a run stands. Stable strings: they are stored."""

    RUNNING = "running"
    FINISHED = "finished"
    INTERRUPTED = "interrupted"  # its process died (kill -9, power loss) before finishing
    FAILED = "failed"  # it stopped on an error it reported


@dataclass(frozen=True, slots=True)
class AddResult:
    """What `Store.add_articles` did, each id in the order it was given."""

    inserted: tuple[str, ...]
    duplicates: tuple[str, ...]
    """Ids already stored (or repeated within the call): their rows were left untouched."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to list or count; fields left `None` do not filter."""

    outlet: str | None = None
    since: datetime | None = None
    """Published at or after this instant (naive means UTC, as for stored dates)."""
    until: datetime | None = None
    """Published strictly before this instant."""
    language: str | None = None
    contains: str | None = None
    """A case-insensitive substring of the body text (ASCII case folding on SQLite)."""
    run_id: int | None = None
    """Articles first stored by this run."""
    entity: str | None = None
    """Articles naming this actor id ("KOR", "person:kim-jong-un")."""
    event_type: str | None = None
    """Articles reporting an event of this PLOVER type ("CONSULT")."""
    story_id: str | None = None
    """Articles of this (live) story."""
    after: Article | None = None
    """Keyset paging: the last article of the previous page (listing order: published, undated
    last, then id)."""


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories to list or count; fields left `None` do not filter."""

    since: datetime | None = None
    """The story's span reaches this instant or later (its last article is at or after it)."""
    until: datetime | None = None
    """The story's span starts strictly before this instant. With `since`, the span overlaps
    [since, until). Undated stories match neither."""
    outlet: str | None = None
    """A case-insensitive substring of one of the story's outlet names (ASCII case folding on
    SQLite)."""
    min_articles: int | None = None
    query: str | None = None
    """A case-insensitive substring of the story's title."""
    entity: str | None = None
    """Stories with an article naming this actor id."""
    event_type: str | None = None
    """Stories with an article reporting an event of this PLOVER type."""
    language: str | None = None
    """Stories with an article in this language."""
    search: str | None = None
    """Full text: stories with an article matching these words (see `Store.search_articles`)."""
    after: Story | None = None
    """Keyset paging: the last story of the previous page; the listing goes on after it."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a full-text query, best first."""

    article: Article
    score: float
    """Higher is better; comparable within one query and backend only."""
    snippet: str
    """Plain text around the first match."""
    highlights: tuple[tuple[int, int], ...]
    """[start, end) spans of query words in `snippet`."""


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """Which named actors to list; fields left `None` do not filter."""

    query: str | None = None
    """A case-insensitive substring of the canonical name or the actor id."""
    kind: str | None = None
    """"person", "country", "igo", "org", "outlet", "place", ..."""


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An actor as the store knows it: how it is named and how many articles and stories
    name it."""

    actor_id: str
    canonical: str | None
    kind: str | None
    country: str | None
    label: str | None
    article_count: int
    story_count: int


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which stored events to list; fields left `None` do not filter."""

    plover: str | None = None
    actor: str | None = None
    """Source or target actor id."""
    story_id: str | None = None
    since: date | None = None
    """Events dated on or after this day (undated events do not match a date filter)."""
    until: date | None = None
    """Events dated strictly before this day."""
    modality: str | None = None


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One article of a story, with what a listing of the story shows about it."""

    article_id: str
    story_id: str
    seq: int
    score: float
    duplicate_of: str | None
    duplicate_similarity: float | None
    outlet_key: str
    title: str | None
    outlet: str | None
    url: str | None
    published: datetime | None
    """In UTC, timezone-aware (a naive article date is taken to be UTC), like the story's span."""
    language: str | None

    @property
    def outlet_name(self) -> str:
        """The outlet as listings show it: its name, else `unnamed_outlet` of its key."""
        return self.outlet or unnamed_outlet(self.outlet_key)


@dataclass(frozen=True, slots=True)
class RunCounts:
    """What a run did with its pages."""

    pages_seen: int = 0
    ingested: int = 0
    duplicates: int = 0
    unchanged: int = 0
    """Pages skipped as already done (a resumed run) or not modified (HTTP 304)."""
    rejected: int = 0
    rejected_by_reason: Mapping[str, int] = field(default_factory=_no_counts)
    """Rejections per `RejectReason` value."""

    def __post_init__(self) -> None:
        # A read-only copy, so a frozen value cannot change through the caller's dict.
        frozen = MappingProxyType({str(k): int(v) for k, v in self.rejected_by_reason.items()})
        object.__setattr__(self, "rejected_by_reason", frozen)


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One stored run."""

    id: int
    status: RunStatus
    started_at: datetime
    """Timezone-aware UTC, like every timestamp the store itself sets."""
    finished_at: datetime | None
    inputs: tuple[str, ...]
    options: Mapping[str, object] = field(default_factory=_no_options)
    counts: RunCounts = field(default_factory=RunCounts)
    """All zero until the run is finished."""
    pid: int | None = None
    host: str | None = None
    """The process and machine that ran it, so a dead run can be told from a live one."""


@dataclass(frozen=True, slots=True)
class RejectionRecord:
    """A stored `Rejection`, with the run that recorded it."""

    id: int
    run_id: int
    source: str
    reason: RejectReason
    detail: str
    url: str | None
    created_at: datetime

    def to_rejection(self) -> Rejection:
        return Rejection(source=self.source, reason=self.reason, detail=self.detail, url=self.url)


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP validators of a fetched URL, sent back on the next conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class SourceMark:
    """An input that a run has finished with: its article, or `None` when it was rejected."""

    key: str
    """The caller's stable name for the input: a path, URL or `file.warc.gz#offset`."""
    content_hash: str | None = None
    article_id: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A stored `SourceMark`."""

    key: str
    content_hash: str | None
    article_id: str | None
    run_id: int
    done_at: datetime


@dataclass(frozen=True, slots=True)
class SchemaVersion:
    """The database's migration revision before and after an upgrade."""

    before: str | None
    after: str


def unnamed_outlet(key: str) -> str:
    """How an outlet known only by its key is listed: a site by its domain key, a page with
    no outlet and no URL as "unknown (its file name)" rather than its whole source path."""
    if key.startswith("source:"):
        name = key.removeprefix("source:").rstrip("/").rsplit("/", 1)[-1]
        return f"unknown ({name})"
    return key
