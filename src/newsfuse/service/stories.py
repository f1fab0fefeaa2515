"""Stories as served: a story with its articles grouped into independent reports and copies.

One record shape for the CLI's `--json`, the Python API and (later) the HTTP API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsfuse.model import Story
from newsfuse.store import StoryMember


@dataclass(frozen=True, slots=True)
class Report:
    """One independent report: an original text and the copies of it (wire pickups,
    republications), earliest first."""

    original: StoryMember
    copies: tuple[StoryMember, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """A story with its articles, grouped; `aliases` are ids merged into it."""

    story: Story
    reports: tuple[Report, ...]
    aliases: tuple[str, ...] = ()


def group_reports(members: Sequence[StoryMember]) -> tuple[Report, ...]:
    """Copies under their original, in clustering order; a copy whose original is not in the
    story (never expected, but not worth losing) stands as its own report."""
    ids = {m.article_id for m in members}
    copies: dict[str, list[StoryMember]] = {}
    for member in members:
        if member.duplicate_of is not None and member.duplicate_of in ids:
            copies.setdefault(member.duplicate_of, []).append(member)
    return tuple(
        Report(member, tuple(copies.get(member.article_id, ())))
        for member in members
        if member.duplicate_of is None or member.duplicate_of not in ids
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
        "article_count": story.article_count,
        "outlet_count": story.outlet_count,
        "independent_origin_count": story.independent_origin_count,
        "outlets": list(story.outlets),
        "languages": list(story.languages),
    }


def member_record(member: StoryMember) -> dict[str, Any]:
    return {
        "id": member.article_id,
        "title": member.title,
        "outlet": member.outlet,
        "url": member.url,
        "published": _iso(member.published),
        "language": member.language,
        "score": member.score,
        "duplicate_of": member.duplicate_of,
        "duplicate_similarity": member.duplicate_similarity,
    }


def detail_record(detail: StoryDetail) -> dict[str, Any]:
    record = story_record(detail.story)
    record["aliases"] = list(detail.aliases)
    record["reports"] = [
        {**member_record(r.original), "copies": [member_record(c) for c in r.copies]}
        for r in detail.reports
    ]
    return record
