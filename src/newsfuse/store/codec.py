"""Values to rows and back: an `Article` survives storage exactly, on either backend."""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, fields
from datetime import UTC, date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Row

from newsfuse.errors import StoreError
from newsfuse.model import (
    AnchorSource,
    Annotations,
    AnnotationStatus,
    Article,
    DateAnchor,
    DateMention,
    DateSource,
    EntityMention,
    Event,
    Granularity,
    MentionForm,
    Modality,
    PlaceMention,
    Quote,
    QuoteKind,
    RejectReason,
    Story,
    StoryAssignment,
    StoryMerge,
    as_utc,
)
from newsfuse.store.records import (
    RejectionRecord,
    RunCounts,
    RunRecord,
    RunStatus,
    SourceRecord,
    StoryMember,
)

_M = TypeVar("_M", "EntityMention", "Quote", "DateMention", "PlaceMention", "Event")


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    # isoformat/fromisoformat round-trip exactly, naive stays naive, the offset is kept.
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def article_row(article: Article, run_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "title": article.title,
        "text": article.text,
        "authors": list(article.authors),
        "published": _iso(article.published),
        "published_utc": as_utc(article.published) if article.published else None,
        "published_source": article.published_source.value if article.published_source else None,
        "published_confidence": article.published_confidence,
        "language": article.language,
        "captions": list(article.captions),
        "fetched_at": _iso(article.fetched_at),
        "produced_by": article.produced_by,
        "status": "ok",
        "run_id": run_id,
        "created_at": now,
    }


def article_from_row(row: Row[Any]) -> Article:
    m = row._mapping
    return Article(
        id=m["id"],
        source=m["source"],
        text=m["text"],
        title=m["title"],
        url=m["url"],
        canonical_url=m["canonical_url"],
        outlet=m["outlet"],
        authors=tuple(m["authors"]),
        published=_from_iso(m["published"]),
        published_source=DateSource(m["published_source"]) if m["published_source"] else None,
        published_confidence=m["published_confidence"],
        language=m["language"],
        captions=tuple(m["captions"]),
        fetched_at=_from_iso(m["fetched_at"]),
        produced_by=m["produced_by"],
    )


def counts_json(counts: RunCounts) -> dict[str, Any]:
    return {
        "pages_seen": counts.pages_seen,
        "ingested": counts.ingested,
        "duplicates": counts.duplicates,
        "unchanged": counts.unchanged,
        "rejected": counts.rejected,
        "rejected_by_reason": dict(counts.rejected_by_reason),
    }


def counts_from_json(data: Mapping[str, Any] | None) -> RunCounts:
    if data is None:
        return RunCounts()
    return RunCounts(
        pages_seen=data.get("pages_seen", 0),
        ingested=data.get("ingested", 0),
        duplicates=data.get("duplicates", 0),
        unchanged=data.get("unchanged", 0),
        rejected=data.get("rejected", 0),
        rejected_by_reason=data.get("rejected_by_reason", {}),
    )


def run_from_row(row: Row[Any]) -> RunRecord:
    m = row._mapping
    return RunRecord(
        id=m["id"],
        status=RunStatus(m["status"]),
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        inputs=tuple(m["inputs"]),
        options=MappingProxyType(dict(m["options"])),
        counts=counts_from_json(m["counts"]),
        pid=m["pid"],
        host=m["host"],
    )


def rejection_from_row(row: Row[Any]) -> RejectionRecord:
    m = row._mapping
    return RejectionRecord(
        id=m["id"],
        run_id=m["run_id"],
        source=m["source"],
        reason=RejectReason(m["reason"]),
        detail=m["detail"],
        url=m["url"],
        created_at=m["created_at"],
    )


def source_from_row(row: Row[Any]) -> SourceRecord:
    m = row._mapping
    return SourceRecord(
        key=m["key"],
        content_hash=m["content_hash"],
        article_id=m["article_id"],
        run_id=m["run_id"],
        done_at=m["done_at"],
    )


def jsonable_inputs(inputs: Sequence[str]) -> list[str]:
    return [str(item) for item in inputs]


# -- stories -----------------------------------------------------------------------------------


def member_row(assignment: StoryAssignment, now: datetime) -> dict[str, Any]:
    return {
        "article_id": assignment.article_id,
        "story_id": assignment.story_id,
        "seq": assignment.seq,
        "score": float(assignment.score),
        "duplicate_of": assignment.duplicate_of,
        "duplicate_similarity": (
            float(assignment.duplicate_similarity)
            if assignment.duplicate_similarity is not None
            else None
        ),
        "outlet_key": assignment.outlet_key,
        "produced_by": assignment.produced_by,
        "created_at": now,
    }


def assignment_from_row(row: Row[Any]) -> StoryAssignment:
    m = row._mapping
    return StoryAssignment(
        article_id=m["article_id"],
        story_id=m["story_id"],
        seq=m["seq"],
        score=m["score"],
        duplicate_of=m["duplicate_of"],
        duplicate_similarity=m["duplicate_similarity"],
        outlet_key=m["outlet_key"],
        produced_by=m["produced_by"],
    )


def merge_row(merge: StoryMerge, now: datetime) -> dict[str, Any]:
    return {
        "merged_id": merge.merged_id,
        "into_id": merge.into_id,
        "seq": merge.seq,
        "article_id": merge.article_id,
        "score": float(merge.score),
        "created_at": now,
    }


def merge_from_row(row: Row[Any]) -> StoryMerge:
    m = row._mapping
    return StoryMerge(
        merged_id=m["merged_id"],
        into_id=m["into_id"],
        seq=m["seq"],
        article_id=m["article_id"],
        score=m["score"],
    )


def story_from_row(row: Row[Any]) -> Story:
    m = row._mapping
    return Story(
        id=m["id"],
        title=m["title"],
        first_published=m["first_published"],
        last_published=m["last_published"],
        article_count=m["article_count"],
        outlet_count=m["outlet_count"],
        independent_origin_count=m["independent_origin_count"],
        outlets=tuple(m["outlets"]),
        languages=tuple(m["languages"]),
    )


def story_member_from_row(row: Row[Any]) -> StoryMember:
    """A `story_members` row joined with its article's `title, outlet, url, published_utc,
    language`."""
    m = row._mapping
    return StoryMember(
        article_id=m["article_id"],
        story_id=m["story_id"],
        seq=m["seq"],
        score=m["score"],
        duplicate_of=m["duplicate_of"],
        duplicate_similarity=m["duplicate_similarity"],
        outlet_key=m["outlet_key"],
        title=m["title"],
        outlet=m["outlet"],
        url=m["url"],
        published=m["published_utc"],
        language=m["language"],
    )


# -- annotations -------------------------------------------------------------------------------
# The mentions are one compressed JSON document per article: a versioned header, then a list of
# objects per kind whose keys are the dataclass fields (None values left out), enums as their
# values, dates in ISO form, fragments as [start, end] pairs.

_PAYLOAD_MAGIC = b"NFA1"
_PAYLOAD_LEVEL = 6  # zlib: about 5x smaller than the JSON at well under a millisecond


def encode_mentions(annotations: Annotations) -> bytes:
    """The entities, quotes, dates, places and events of `annotations`, compressed."""
    document = {
        "entities": [_compact(mention_json(e)) for e in annotations.entities],
        "quotes": [_compact(mention_json(q)) for q in annotations.quotes],
        "dates": [_compact(mention_json(d)) for d in annotations.dates],
        "places": [_compact(mention_json(p)) for p in annotations.places],
        "events": [_compact(mention_json(v)) for v in annotations.events],
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return _PAYLOAD_MAGIC + zlib.compress(text.encode("utf-8"), _PAYLOAD_LEVEL)


class Payload(NamedTuple):
    """What one annotations payload holds."""

    entities: tuple[EntityMention, ...]
    quotes: tuple[Quote, ...]
    dates: tuple[DateMention, ...]
    places: tuple[PlaceMention, ...]
    events: tuple[Event, ...]


def decode_payload(payload: bytes) -> Payload:
    """The inverse of `encode_mentions`. A payload stored before events were coded (revision
    0003) has no "events" list: it decodes to no events."""
    data = bytes(payload)
    if not data.startswith(_PAYLOAD_MAGIC):
        raise StoreError(
            "stored annotations are not ours or are damaged; run `newsfuse annotate --all`"
        )
    try:
        document = json.loads(zlib.decompress(data[len(_PAYLOAD_MAGIC) :]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise StoreError(
            f"stored annotations are damaged ({exc}); run `newsfuse annotate --all`"
        ) from exc
    return Payload(
        tuple(mention_from_json(EntityMention, e) for e in document.get("entities", ())),
        tuple(mention_from_json(Quote, q) for q in document.get("quotes", ())),
        tuple(mention_from_json(DateMention, d) for d in document.get("dates", ())),
        tuple(mention_from_json(PlaceMention, p) for p in document.get("places", ())),
        tuple(mention_from_json(Event, v) for v in document.get("events", ())),
    )


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value is not None}


# Mention fields whose JSON form is not the value itself, per mention type; every other field
# is stored as it is. A field added to a mention type round-trips without touching this.
_FIELD_DECODERS: dict[type, dict[str, Callable[[Any], Any]]] = {
    EntityMention: {"form": MentionForm},
    Quote: {"kind": QuoteKind, "fragments": lambda pairs: tuple((a, b) for a, b in pairs)},
    DateMention: {
        "granularity": Granularity,
        "anchor": AnchorSource,
        "earliest": date.fromisoformat,
        "latest": date.fromisoformat,
    },
    PlaceMention: {},
    Event: {"modality": Modality},
}
Mention = EntityMention | Quote | DateMention | PlaceMention | Event


def mention_json(mention: Mention) -> dict[str, Any]:
    """Every field of a mention as JSON values: enums by value, days in ISO form, fragments as
    [start, end] pairs."""
    return {f.name: _plain(getattr(mention, f.name)) for f in fields(mention)}


def mention_from_json(kind: type[_M], record: Mapping[str, Any]) -> _M:
    """The inverse of `mention_json`; an absent field takes its default, or None."""
    decoders = _FIELD_DECODERS[kind]
    values: dict[str, Any] = {}
    for f in fields(kind):  # type: ignore[arg-type]
        value = record.get(f.name)
        if value is not None:
            decode = decoders.get(f.name)
            values[f.name] = decode(value) if decode else value
        elif f.default is MISSING:  # a required field that may be None (DateMention.value)
            values[f.name] = None
    return kind(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def annotations_row(annotations: Annotations, now: datetime) -> dict[str, Any]:
    anchor = annotations.anchor
    return {
        "article_id": annotations.article_id,
        "status": annotations.status.value,
        "reason": annotations.reason,
        "language": annotations.language,
        "anchor_day": anchor.day if anchor is not None else None,
        "anchor_source": anchor.source.value if anchor is not None else None,
        "anchor_year_only": anchor.year_only if anchor is not None else None,
        "produced_by": annotations.produced_by,
        # An Annotations value without a time gets the time it was stored.
        "annotated_at": annotations.annotated_at or now,
        "payload": encode_mentions(annotations),
        "n_entities": len(annotations.entities),
        "n_quotes": len(annotations.quotes),
        "n_dates": len(annotations.dates),
        "n_places": len(annotations.places),
        "n_events": len(annotations.events),
    }


def annotations_from_row(row: Row[Any]) -> Annotations:
    m = row._mapping
    entities, quotes, dates, places, events = decode_payload(m["payload"])
    anchor = None
    if m["anchor_source"] is not None:
        anchor = DateAnchor(
            day=m["anchor_day"],
            source=AnchorSource(m["anchor_source"]),
            year_only=bool(m["anchor_year_only"]),
        )
    return Annotations(
        article_id=m["article_id"],
        status=AnnotationStatus(m["status"]),
        reason=m["reason"],
        language=m["language"],
        anchor=anchor,
        entities=entities,
        quotes=quotes,
        dates=dates,
        places=places,
        events=events,
        produced_by=m["produced_by"],
        annotated_at=m["annotated_at"],
    )


def actor_rows(annotations: Annotations) -> list[dict[str, Any]]:
    """One `article_entities` row per distinct actor the article's entities resolve to: its
    mention count, and the name, kind, country and label its mentions give most often."""
    by_actor: dict[str, list[EntityMention]] = {}
    for mention in annotations.entities:
        if mention.actor_id:
            by_actor.setdefault(mention.actor_id, []).append(mention)
    return [
        {
            "article_id": annotations.article_id,
            "actor_id": actor_id,
            "canonical": _most_common(m.canonical for m in mentions),
            "kind": _most_common(m.kind for m in mentions),
            "country": _most_common(m.country for m in mentions),
            "label": _most_common(m.label for m in mentions),
            "mentions": len(mentions),
        }
        for actor_id, mentions in by_actor.items()
    ]


def _most_common(values: Any) -> Any:
    """The most frequent non-empty value, the earliest on a tie; None when there is none."""
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else None


# -- events ------------------------------------------------------------------------------------
# Each event is also a row of `article_events` (for queries by type and actor, and a story's
# events without decoding every payload); the row holds every field, so it reads back the same.

EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event))


def speaker_rows(annotations: Annotations) -> list[dict[str, Any]]:
    """One `article_speakers` row per resolved speaker the article quotes, with its count."""
    counts = Counter(q.speaker_id for q in annotations.quotes if q.speaker_id)
    return [
        {"article_id": annotations.article_id, "speaker_id": speaker, "quotes": n}
        for speaker, n in counts.items()
    ]


def event_rows(annotations: Annotations) -> list[dict[str, Any]]:
    """One `article_events` row per event of `annotations`, numbered in article order."""
    return [
        {
            "article_id": annotations.article_id,
            "idx": idx,
            **{name: _plain(getattr(event, name)) for name in EVENT_COLUMNS},
        }
        for idx, event in enumerate(annotations.events)
    ]


def event_from_row(row: Row[Any]) -> Event:
    m = row._mapping
    return mention_from_json(Event, {name: m[name] for name in EVENT_COLUMNS})
