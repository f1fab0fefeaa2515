"""Frozen types that cross stage boundaries.

    Source ─► RawPage ─► Article ─► (later: AnnotatedArticle ─► StoryAssignment ─► Dossier)
     ingest     extract

A stage takes one of these and returns the next, or a `Rejection` that says why not.
Nothing here does I/O; these are values.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType


class PageKind(StrEnum):
    """How a page's bytes are laid out, which decides the extractor."""

    HTML = "html"
    TEXT = "text"  # a page flattened to text, like the seeds


@dataclass(frozen=True, slots=True)
class PageHints:
    """Metadata a source already knows about a page (a JSON record, a feed entry).

    Extraction prefers page metadata, and uses these where the page says nothing.
    """

    title: str | None = None
    published: str | None = None
    """A date string as the source gave it; parsed by the extractor."""
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    record_id: str | None = None
    """The `id` field of a JSON/JSONL record, kept as the page's `source`."""


_EMPTY_HEADERS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as a source handed it over: bytes plus where and when they came from."""

    source: str
    """The absolute path, URL, `stdin`, or JSON record id the page came from."""
    content: bytes
    kind: PageKind
    fetched_at: datetime
    url: str | None = None
    """The page's own URL where known (HTTP, WARC, feed entry, JSON record)."""
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY_HEADERS)
    """HTTP response headers, lower-cased names, where the page came over HTTP or from WARC."""
    hints: PageHints = field(default_factory=PageHints)
    encoding: str | None = None
    """A declared encoding (HTTP header, record); the extractor still verifies it."""


class RejectReason(StrEnum):
    """Why a page or input produced no article. Stable strings: they are stored and reported."""

    EMPTY = "empty"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"  # I/O error, truncated archive, bad gzip
    INVALID_RECORD = "invalid_record"  # a JSON line that does not parse or has no content
    NO_CONTENT = "no_content"  # extraction found no article body
    FETCH_FAILED = "fetch_failed"  # network error, timeout
    HTTP_ERROR = "http_error"  # 4xx/5xx
    ROBOTS_DISALLOWED = "robots_disallowed"
    UNSUPPORTED = "unsupported"  # a file type newsfuse does not read


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that produced no article, and why. Recorded; the batch goes on."""

    source: str
    reason: RejectReason
    detail: str
    url: str | None = None


class DateSource(StrEnum):
    """Where an article's publication date came from, strongest first."""

    METADATA = "metadata"  # JSON-LD, <meta>, <time> in the page
    RECORD = "record"  # the JSON record or feed entry that carried the page
    HTTP = "http"  # Last-Modified of the response
    URL = "url"  # /2023/09/15/ in the URL
    TEXT = "text"  # inferred from the page text (dateline, byline)


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article: the body every later annotation points into by character offsets."""

    id: str
    source: str
    text: str
    """Body paragraphs joined by blank lines; boilerplate removed."""
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    """Timezone-aware where the page says so; naive means the zone is unknown."""
    published_source: DateSource | None = None
    published_confidence: float | None = None
    language: str | None = None
    captions: tuple[str, ...] = ()
    """Photo captions and credits, kept apart from the body."""
    fetched_at: datetime | None = None
    produced_by: str = ""
    """The extractor and its version, e.g. `newsfuse.extract.html.v1`."""

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]


def as_utc(value: datetime) -> datetime:
    """The instant in UTC; a naive value (zone unknown) is taken to be UTC."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def article_id(canonical_url: str | None, text: str) -> str:
    """A stable id: the hash of the canonical URL, or else of the normalised text.

    The same page ingested twice gets the same id, which is what makes re-ingest a no-op.
    """
    key = f"url:{canonical_url}" if canonical_url else f"text:{normalise_text(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def story_id_for(article_id: str) -> str:
    """A story's id: taken from the article that opened it, so a re-run gives the same ids."""
    return f"st_{article_id[:16]}"


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """One article placed in a story by the clusterer (the cluster stage's output)."""

    article_id: str
    story_id: str
    seq: int
    """The article's position in the clustering order (0-based over the whole store)."""
    score: float
    """Similarity to the story it joined; 0.0 for the article that opened a new story."""
    duplicate_of: str | None = None
    """The earliest version of this text when the article is a near-copy (wire copy,
    republished page); None for an independent report."""
    duplicate_similarity: float | None = None
    """Estimated Jaccard similarity of the copy to its original."""
    outlet_key: str = ""
    """The outlet as counted in `Story.outlet_count` (see `newsfuse.cluster.outlets`)."""
    produced_by: str = ""


@dataclass(frozen=True, slots=True)
class StoryMerge:
    """Two stories found to be one: `merged_id` lives on as an alias of `into_id`."""

    merged_id: str
    into_id: str
    seq: int
    """Clustering position of the article that bridged them."""
    article_id: str
    score: float
    """The bridging article's similarity to the merged story."""


@dataclass(frozen=True, slots=True)
class Story:
    """A story as listed: its span, its outlets and how many independent origins it has."""

    id: str
    title: str | None
    first_published: datetime | None
    last_published: datetime | None
    article_count: int
    outlet_count: int
    independent_origin_count: int
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
