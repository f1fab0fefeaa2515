"""Values to rows and back: an `Article` survives storage exactly, on either backend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import Row

from newsfuse.model import (
    Article,
    DateSource,
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
