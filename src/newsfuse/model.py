"""Frozen types that cross stage boundaries.

    Source ─► RawPage ─► Article ─► StoryAssignment ─► Annotations ─► (later: Dossier)
     ingest     extract      cluster             annotate

A stage takes one of these and returns the next, or a `Rejection` that says why not.
Nothing here does I/O; these are values.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
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


class AnnotationStatus(StrEnum):
    ANNOTATED = "annotated"
    NOT_ANNOTATED = "not_annotated"
    """Deliberately skipped (a language we do not annotate, no text): the reason says why."""
    FAILED = "failed"
    """An annotator raised; the reason carries the error and the article stays listed."""


class MentionForm(StrEnum):
    NAME = "name"  # "Kim Jong Un"
    SHORT = "short"  # "Kim", resolved to a name mentioned before it
    NOMINAL = "nominal"  # "the minister", "South Korea's top diplomat"
    PRONOUN = "pronoun"  # "he", "she"
    DEMONYM = "demonym"  # "South Korean"
    METONYM = "metonym"  # "Seoul", "the Kremlin" acting as a government


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of a person, organisation, country, place or international body."""

    start: int
    end: int
    text: str
    label: str
    """spaCy's label (PERSON, ORG, GPE, LOC, NORP, FAC) or ROLE for a nominal mention."""
    actor_id: str | None = None
    """Stable id: ISO 3166 alpha-3 for a country ("KOR"), `person:kim-jong-un`,
    `org:nato`, `place:amur-oblast`; None when nothing could be canonicalised."""
    canonical: str | None = None
    kind: str | None = None
    """country | person | organisation | igo | place"""
    country: str | None = None
    """ISO3 of the country the actor belongs to or acts for."""
    role: str | None = None
    """Normalised role where the text or the gazetteer gives it ("foreign minister")."""
    form: MentionForm = MentionForm.NAME
    produced_by: str = ""


class QuoteKind(StrEnum):
    DIRECT = "direct"
    MIXED = "mixed"
    INDIRECT = "indirect"


@dataclass(frozen=True, slots=True)
class Quote:
    """Who said what: content, cue and speaker spans into `Article.text`."""

    start: int
    end: int
    """The content span: from its first fragment's start to its last fragment's end."""
    content: str
    kind: QuoteKind
    speaker: str | None = None
    """The speaker as written ("he", "South Korea's top diplomat")."""
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_canonical: str | None = None
    speaker_id: str | None = None
    speaker_kind: str | None = None
    """person | organisation | country | igo | outlet | unknown"""
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    fragments: tuple[tuple[int, int], ...] = ()
    """The content's fragments when it is interrupted ("…," he said, "…")."""
    produced_by: str = ""


class Granularity(StrEnum):
    TIME = "time"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"
    RANGE = "range"
    DURATION = "duration"
    """A length ("18-month conflict"), not a point in time: `value` is ISO 8601 (P18M)."""


class AnchorSource(StrEnum):
    PUBLISHED = "published"  # the article's own publication date
    STORY = "story"  # the dates of the story the article belongs to
    TEXT = "text"  # inferred from the latest explicit date the text mentions
    NONE = "none"


@dataclass(frozen=True, slots=True)
class DateAnchor:
    """The reference time relative expressions are resolved against."""

    day: date | None
    source: AnchorSource
    year_only: bool = False
    """True when only the year is known (from "in the spring of 2023", say)."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or time expression resolved to an ISO value (event time, never publication time)."""

    start: int
    end: int
    text: str
    value: str | None
    """ISO 8601: 2023-09-13, 2023-09, 2023, 2023-W37, 2023-09-11/2023-09-15, P18M; None when
    the expression could not be resolved (no anchor)."""
    granularity: Granularity
    earliest: date | None = None
    latest: date | None = None
    """The days the value covers, for ordering a timeline; None for durations."""
    relative: bool = False
    """Resolved against the anchor ("earlier this week", "Sept. 13" without a year)."""
    anchor: AnchorSource = AnchorSource.NONE
    produced_by: str = ""


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place resolved to a country and, where the gazetteer has them, coordinates."""

    start: int
    end: int
    text: str
    canonical: str | None
    country: str | None
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None
    feature: str | None = None
    """country | capital | city | region | landmark | area"""
    produced_by: str = ""


@dataclass(frozen=True, slots=True)
class StoryContext:
    """What the article's story already knows: its dates (a date anchor for undated articles)
    and the people its other articles name (so two spellings become one person)."""

    story_id: str | None = None
    first_published: datetime | None = None
    last_published: datetime | None = None
    people: tuple[tuple[str, str], ...] = ()
    """(actor_id, canonical name) of persons already found in the story's other articles."""
    text_anchor: date | None = None
    """The latest reporting day inferred from the text of the story's other articles, for a
    story none of whose pages is dated."""


class Modality(StrEnum):
    """Whether the sentence says the event happened."""

    ASSERTED = "asserted"  # "met", "imposed"
    NEGATED = "negated"  # "did not threaten", "denied attacking"
    POSSIBLE = "possible"  # "may impose", "is not excluding", "could"
    FUTURE = "future"  # "will meet", "plans to"
    HYPOTHETICAL = "hypothetical"  # "if ... would", "would constitute"


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, coded in PLOVER and CAMEO, with its evidence sentence."""

    start: int
    end: int
    """The evidence sentence's span in `Article.text`."""
    plover: str
    """PLOVER event type: AGREE, CONSULT, SUPPORT, ... , ASSAULT (16 types)."""
    cameo: str
    """CAMEO code ("036"); a root ("04") when nothing finer is known."""
    quad_class: str
    """statement | verbal cooperation | material cooperation | verbal conflict |
    material conflict"""
    goldstein: float
    mode: str | None = None
    """PLOVER mode of the type ("sanction" for THREATEN), where known."""
    modality: Modality = Modality.ASSERTED
    source_actor: str | None = None
    """Country code of the source ("KOR"), or an igo id."""
    source_entity: str | None = None
    """The person or organisation id the text names as the source, if any."""
    target_actor: str | None = None
    target_entity: str | None = None
    date: str | None = None
    """ISO value of the event's date (a date mention in the sentence, else None)."""
    place: str | None = None
    """Canonical place with its country ("Amur Oblast, RUS"), if the sentence names one."""
    confidence: float = 0.0
    produced_by: str = ""


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything the annotate stage found in one article."""

    article_id: str
    status: AnnotationStatus
    reason: str | None = None
    language: str | None = None
    anchor: DateAnchor | None = None
    entities: tuple[EntityMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    events: tuple[Event, ...] = ()
    produced_by: str = ""
    annotated_at: datetime | None = None
